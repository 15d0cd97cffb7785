"""The mental-health-friendly mark: a scheme per locality with its criteria and award length,
partners' applications with evidence per criterion, coordinators' assessments and awards, and
whether a partner holds the mark today (shown on its page, its activities and in the directory)."""
