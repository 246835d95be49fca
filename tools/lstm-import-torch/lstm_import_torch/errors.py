"""Errors the user can fix."""


class UserError(Exception):
    """Printed as `lstm-import-torch: error: ...`, without a traceback."""
