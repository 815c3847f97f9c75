"""Who is asking: the session cookie, read once per request, and the FastAPI dependencies
the workbench routes declare: `current_user` for the API (401 JSON without a session) and
`page_user` for pages (a redirect to the login page)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from anyio import to_thread
from fastapi import Depends, Request, Response

from fiw.workbench import Actor, Login, Workbench
from fiw.workbench.errors import NotLoggedIn

COOKIE = "fiw_session"
LOGIN_PAGE = "/workbench/login"
STATE_KEY = "workbench_login"


class LoginRedirect(Exception):
    """A page asked for without a session: answered with a redirect to the login page."""

    def __init__(self, target: str) -> None:
        super().__init__(target)
        self.target = target


def workbench(request: Request) -> Workbench:
    """The app's Workbench (on the store database)."""
    found: Workbench = request.app.state.workbench
    return found


def session_token(request: Request) -> str | None:
    return request.cookies.get(COOKIE)


def request_login(request: Request) -> Login:
    """The request's live session (looked up once, kept on the request); NotLoggedIn if none."""
    found: Login | None = getattr(request.state, STATE_KEY, None)
    if found is None:
        found = workbench(request).session(session_token(request))
        setattr(request.state, STATE_KEY, found)
    return found


async def current_login(request: Request) -> Login:
    """Dependency: the session of an API request (401 without one). Async, so that FastAPI
    runs it on the event loop: the CSRF middleware has already looked up an unsafe
    request's session, and only a lookup still to do goes to a worker thread."""
    found: Login | None = getattr(request.state, STATE_KEY, None)
    if found is None:
        found = await to_thread.run_sync(request_login, request)
    return found


async def current_user(request: Request) -> Actor:
    """Dependency: the user of an API request (401 without a session)."""
    return (await current_login(request)).actor


def page_user(request: Request) -> Actor:
    """Dependency: the user of a page request; without a session, a redirect to the login
    page that comes back here afterwards."""
    try:
        return request_login(request).actor
    except NotLoggedIn:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRedirect(f"{LOGIN_PAGE}?next={quote(target, safe='/')}") from None


User = Annotated[Actor, Depends(current_user)]
PageUser = Annotated[Actor, Depends(page_user)]


def is_https(request: Request) -> bool:
    return request.url.scheme == "https"


def set_session_cookie(response: Response, request: Request, token: str, hours: float) -> None:
    """The session cookie: HttpOnly, SameSite=Strict, Secure over HTTPS, for the whole site."""
    response.set_cookie(
        COOKIE,
        token,
        max_age=int(hours * 3600),
        path="/",
        httponly=True,
        samesite="strict",
        secure=is_https(request),
    )


def clear_session_cookie(response: Response, request: Request) -> None:
    response.delete_cookie(
        COOKIE, path="/", httponly=True, samesite="strict", secure=is_https(request)
    )
