# Roles are auth groups (see accounts/roles.py); API tokens are django-rest-knox tokens
# (stored hashed, with expiry, revocable). This app has no models of its own.
