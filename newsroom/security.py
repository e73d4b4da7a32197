"""
Response headers Django does not send by itself, and the admin's Content Security Policy.

Django sends CSP (django.middleware.csp), HSTS, X-Content-Type-Options, Referrer-Policy and
Cross-Origin-Opener-Policy (SecurityMiddleware). This middleware adds Permissions-Policy and
gives the admin its own policy: the same as the public site's except for styles, because
TinyMCE 7 writes inline style attributes into its toolbar and editing frame (its own CSP
guide asks for style-src 'unsafe-inline'). Scripts stay strict everywhere: an injected
inline style cannot run code, an injected inline script could.
"""

from django.conf import settings
from django.utils.csp import CSP


def admin_csp() -> dict[str, list[str]]:
    return settings.SECURE_CSP | {"style-src": [CSP.SELF, CSP.UNSAFE_INLINE]}


def is_admin_path(path: str) -> bool:
    # The editor's own pages: the admin (wherever ADMIN_URL_PATH puts it) and TinyMCE's views.
    return path.startswith((f"/{settings.ADMIN_URL_PATH}", "/tinymce/"))


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if is_admin_path(request.path_info) and not hasattr(response, "_csp_config"):
            # Read by ContentSecurityPolicyMiddleware, which sits above this one.
            response._csp_config = admin_csp()
        return response


def client_ip(request) -> str | None:
    """
    The address a request came from, for login throttling.

    REMOTE_ADDR, unless TRUSTED_PROXY_COUNT says that many proxies of ours stand in front
    of the app: then the address the outermost of them saw, read from the right-hand end of
    X-Forwarded-For (entries further left are whatever the client chose to send).
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")
