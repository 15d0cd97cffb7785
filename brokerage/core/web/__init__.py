"""Requests and pages: declared access rules, security headers, log privacy, URL converters,
template filters, navigation, panels, and core's own pages (home, starting page, health check)."""
