"""The Discord front end: a thin shell that turns gateway events into service calls."""
