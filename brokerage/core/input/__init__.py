"""What people type: the base form every form is built on, shared fields, the characters a form
refuses or cleans, and forms kept when a session or a page expired."""
