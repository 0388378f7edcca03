"""A bare Django project for comparison (bench/bench_intake.py): `startproject`'s settings and middleware, one
view that takes a JSON POST and answers JSON 201 — what any Django JSON endpoint costs before its business.

    gunicorn --chdir bench/bare bare_project:application
"""

import json

from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY="bare-" + "k" * 40,
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=[
        "django.contrib.auth",
        "django.contrib.contenttypes",
        "django.contrib.sessions",
        "django.contrib.messages",
    ],
    MIDDLEWARE=[
        "django.middleware.security.SecurityMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    USE_TZ=True,
)

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import HttpResponseNotAllowed, JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402


@csrf_exempt
def orders(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    body = json.loads(request.body)
    return JsonResponse({"received": sorted(body), "status": "submitted"}, status=201)


urlpatterns = [path("api/v1/orders", orders)]
application = get_wsgi_application()


if __name__ == "__main__":  # CPU per request in-process (bench/profile_intake.py --cpu measures FreightDesk's)
    import sys
    import time

    from django.test import Client

    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[2]))
    from freightdesk.demo.examples import EXAMPLE_ORDER_JSON

    client, body = Client(), json.dumps(EXAMPLE_ORDER_JSON, ensure_ascii=False)
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    for _ in range(50):
        client.post("/api/v1/orders", body, content_type="application/json")
    started = time.process_time()
    for _ in range(runs):
        assert client.post("/api/v1/orders", body, content_type="application/json").status_code == 201
    print(f"bare Django JSON POST: {(time.process_time() - started) / runs * 1000:.3f} ms CPU per request")
