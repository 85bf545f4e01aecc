"""The API's documentation pages (/docs: Swagger UI, /redoc: ReDoc) from the API's own files.

FastAPI's defaults fetch both from a CDN, which leaves blank pages on any network without internet
(the usual case inside government networks). `make ui` copies the npm builds into app/static/apidocs;
without them the pages say how to build them instead of loading nothing.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

DOCS_DIR = Path(__file__).resolve().parent / "static" / "apidocs"
ASSETS = "/static/apidocs"
NEEDED = ("swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js", "favicon-32x32.png")

# Nothing outside the API may load: ReDoc's sidebar credit is an image on its vendor's CDN, which the
# policy refuses (the page hides the empty link); scripts and styles are the local bundles and the
# inline start-up FastAPI writes; ReDoc renders schemas in a worker from a blob.
POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'"
)
_HIDE_CREDIT = "<style>a[href*='redocly.com'] { display: none; }</style>"

_MISSING = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>BatteryTrace API</title></head>
<body><h1>API 文档未构建 · API documentation not built</h1>
<p>运行 <code>make ui</code> 后重启 API。 Run <code>make ui</code>, then restart the API.</p>
<p>OpenAPI: <a href="/openapi.json">/openapi.json</a></p></body></html>"""


def mount_docs(app: FastAPI, directory: Path = DOCS_DIR) -> bool:
    """Serve /docs and /redoc from local files; False when the build is absent (a page says so)."""
    built = all((directory / name).is_file() for name in NEEDED)
    if built:
        app.mount(ASSETS, StaticFiles(directory=directory), name="apidocs")
    title = f"{app.title} API"
    openapi_url = app.openapi_url or "/openapi.json"

    @app.get("/docs", include_in_schema=False)
    def swagger() -> HTMLResponse:
        if not built:
            return HTMLResponse(_MISSING, status_code=503)
        return _local(
            get_swagger_ui_html(
                openapi_url=openapi_url,
                title=title,
                swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
                swagger_css_url=f"{ASSETS}/swagger-ui.css",
                swagger_favicon_url=f"{ASSETS}/favicon-32x32.png",
                oauth2_redirect_url="/docs/oauth2-redirect",
                swagger_ui_parameters={"persistAuthorization": True, "displayRequestDuration": True},
            )
        )

    @app.get("/docs/oauth2-redirect", include_in_schema=False)
    def oauth2_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        if not built:
            return HTMLResponse(_MISSING, status_code=503)
        page = get_redoc_html(
            openapi_url=openapi_url,
            title=title,
            redoc_js_url=f"{ASSETS}/redoc.standalone.js",
            redoc_favicon_url=f"{ASSETS}/favicon-32x32.png",
            with_google_fonts=False,
        )
        body = bytes(page.body).decode().replace("</head>", f"{_HIDE_CREDIT}</head>", 1)
        return _local(HTMLResponse(body))

    return built


def _local(page: HTMLResponse) -> HTMLResponse:
    page.headers["Content-Security-Policy"] = POLICY
    return page
