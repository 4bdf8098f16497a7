class AsxError(Exception):
    """Base for errors shown to the user as one line."""
    exit_code = 2
class UserError(AsxError):
    """Bad input or usage: exit 2."""
