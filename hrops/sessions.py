"""Idle session expiry that background polling does not defeat.

Sessions end after SESSION_IDLE_SECONDS without activity: with SESSION_SAVE_EVERY_REQUEST every
answer saves the session and pushes its expiry forward. The notification bell asks for its
count every 60 seconds on every open page, so an unattended tab would keep its session alive
for ever. Views marked `session_not_extended` answer without saving the session (and without
setting its cookie): only what a person does counts as activity. A session that the view itself
changes is still saved.
"""

from functools import wraps

from django.contrib.sessions.middleware import SessionMiddleware
from django.utils.cache import patch_vary_headers


def session_not_extended(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        request.session_not_extended = True
        return view(request, *args, **kwargs)

    return wrapped


class IdleSessionMiddleware(SessionMiddleware):
    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if getattr(request, "session_not_extended", False) and session is not None \
                and not session.modified:
            if session.accessed:
                patch_vary_headers(response, ("Cookie",))
            return response
        return super().process_response(request, response)
