"""FreightDesk settings: one module, read from the environment, safe local defaults.

Every setting the code reads has its default here (code reads ``settings.X``, never
``getattr(settings, "X", default)``). The test suite runs with ``freightdesk.settings_test``,
which imports this module and changes only what tests need.

Environment variables (the README's configuration table lists them all):
    DATABASE_URL     default sqlite:///var/freightdesk.sqlite3 (WAL, busy timeout, IMMEDIATE)
    REDIS_URL        the cache and the chat's channel layer in Redis (several machines); unset: a database
                     cache table and an in-memory channel layer
    CACHE_PREFIX, CHANNELS_PREFIX   key prefixes in that Redis (default fd, freightdesk): several sites, one Redis
    SECRET_KEY       required when DEBUG is off
    DEBUG            "1"/"0"; default on for local use
    ALLOWED_HOSTS    comma-separated; default localhost names
    PUBLIC_BASE_URL  the address customers and drivers open from their SMS links
    SMS_BACKEND      console | file | http | aliyun | tencent (see messaging)
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("FREIGHTDESK_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "local-development-only-not-secret-" + "x" * 32

ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver").split(",") if h.strip()
]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "channels",
    "freightdesk.core",
    "freightdesk.accounts",
    "freightdesk.network",
    "freightdesk.customers",
    "freightdesk.orders",
    "freightdesk.followups",
    "freightdesk.messaging",
    "freightdesk.dispatch",
    "freightdesk.tracking",
    "freightdesk.api",
    "freightdesk.tickets",
    "freightdesk.knowledge",
    "freightdesk.surveys",
    "freightdesk.quality",
    "freightdesk.demo",
    "freightdesk.telephony",
    "freightdesk.conversations",
    "freightdesk.desk",
    "freightdesk.field",
    "freightdesk.outbound",
    "freightdesk.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "freightdesk.conversations.middleware.PublicCorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "freightdesk.core.middleware.RefuseNonTextMiddleware",  # control characters in a path or query string
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "freightdesk.urls"
WSGI_APPLICATION = "freightdesk.wsgi.application"
# One ASGI process serves HTTP and WebSockets (uvicorn freightdesk.asgi:application; see conversations).
ASGI_APPLICATION = "freightdesk.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "freightdesk" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "freightdesk.accounts.context_processors.roles",
                "freightdesk.desk.context_processors.approvals",
                "freightdesk.reports.context_processors.weekly_notices",
            ],
        },
    }
]

# --- Database -----------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'freightdesk.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's SQLite backend plus a fair queue for write transactions (core/dbbackends/sqlite3).
    DATABASES["default"]["ENGINE"] = "freightdesk.core.dbbackends.sqlite3"
    # Connections persist (conn_max_age above): closing the last SQLite connection checkpoints the
    # WAL, which cost the task worker ~7 ms per task when every task reconnected.
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE: a write transaction takes the write lock at BEGIN, so two
        # writers queue on the busy timeout instead of failing with "database is locked".
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA foreign_keys=ON;"
            "PRAGMA busy_timeout=20000;"
            "PRAGMA cache_size=-64000;"
            "PRAGMA mmap_size=268435456;"
            "PRAGMA temp_store=MEMORY;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Background tasks (django.tasks backport + database backend) ----------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "messages", "dispatch_sms", "reports"],
    }
}

# --- Auth ------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "freightdesk.accounts.backends.AgentIdBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_ENABLED = env_bool("AXES_ENABLED", True)

# --- I18N ------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "freightdesk" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static ----------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "freightdesk" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"

# --- Cache ----------------------------------------------------------------------
# One cache for every process of the site (gunicorn workers, the task worker, run_periodic): the
# rate limits count per client address across workers, and a calendar or master-data change made
# in one process reaches the others within seconds. Without REDIS_URL it is a table in the
# database (created by every `migrate`, see core/apps.py), so several machines sharing one
# PostgreSQL share it too; with REDIS_URL it is Redis (the `redis` package is a runtime dependency).
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_TABLE = "freightdesk_cache"
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_PREFIX", "fd"),
        }
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_TABLE,
            "OPTIONS": {"MAX_ENTRIES": 50_000, "CULL_FREQUENCY": 4},
        }
    )
}

# Real time (conversations): in-memory within one process; Redis when several processes or machines serve.
# On Redis the layer is Pub/Sub: each process subscribes once to each group its sockets joined, and Redis pushes
# every message down that one connection. (channels-redis' default layer fetches each message into a process with
# four round trips, one message at a time: side by side on the bench machine a bare echo's p95 was 12 ms against
# 6 ms on Pub/Sub, the chat's p99 196 ms against 116 ms; bench/RESULTS.md "Online chat".) A message is stored
# before it is published, so one a socket misses while Redis is unreachable is fetched with ``after=`` when the
# client reconnects.
# No client-side read timeout (redis-py 8's default of 5 s cut an idle read off and the socket closed 1011); a
# large pool (redis-py 8 refuses a 101st connection at once instead of waiting for one).
CHANNELS_REDIS_BACKEND = "channels_redis.pubsub.RedisPubSubChannelLayer"
CHANNELS_REDIS_HOST_OPTIONS = {"socket_timeout": None, "max_connections": 2000}
CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
if REDIS_URL:
    CHANNEL_LAYERS["default"] = {
        "BACKEND": CHANNELS_REDIS_BACKEND,
        "CONFIG": {
            "hosts": [{"address": REDIS_URL, **CHANNELS_REDIS_HOST_OPTIONS}],
            "prefix": os.environ.get("CHANNELS_PREFIX", "freightdesk"),
        },
    }

# --- Security hardening when not in DEBUG ---------------------------------------------
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # axes logs every login attempt at INFO; its lockouts and failures stay visible at WARNING.
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

# --- FreightDesk business settings ---------------------------------------------
FREIGHTDESK = {
    "COMPANY_NAME": os.environ.get("COMPANY_NAME", "滴客物流"),
    # Orders above these are refused as implausible for one shipment (SPEC §3 "absurd values").
    "MAX_WEIGHT_KG": 50000,
    "MAX_VOLUME_M3": 200,
    "MAX_QUANTITY": 100000,
    "MAX_TEXT": 200,
    "IDEMPOTENCY_TTL_HOURS": 24,
    # Where customers and drivers open the links we text them (surveys, driver links).
    "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000"),
    # Above this a complaint's compensation needs a manager's approval (SPEC §9).
    "COMPENSATION_CAP": os.environ.get("COMPENSATION_CAP", "500.00"),
    # The public web order page and order-status look-up: requests per client address per window (seconds).
    "WEB_ORDER_RATE": (10, 600),
    "WEB_STATUS_RATE": (30, 600),
    # Chat: customer messages per client address per minute (all sockets and the HTTP endpoint).
    "CHAT_MESSAGE_RATE": (int(os.environ.get("CHAT_MESSAGES_PER_MINUTE", "30")), 60),
    # Chat: a socket's message waits this long for others to share its write transaction (group commit;
    # conversations/writer.py). 0: only those that arrived while the previous batch was being written.
    "CHAT_WRITE_WINDOW_MS": float(os.environ.get("CHAT_WRITE_WINDOW_MS", "2")),
}

# Working hours of every working day (SPEC §2); the calendar of days is chinese_calendar, the
# `holidays` package for later years, and the admin's WorkingDayOverride rows (core/worktime.py).
WORKING_HOURS = (os.environ.get("WORKING_OPENS", "08:30"), os.environ.get("WORKING_CLOSES", "17:30"))

# Per-order report exports above this many rows run as a background task (SPEC §12).
REPORTS_EXPORT_TASK_ROWS = int(os.environ.get("REPORTS_EXPORT_TASK_ROWS", "100000"))

# --- Telephony (CTI events) ------------------------------------------------------------------
# A local landline without its area code gets the company's own (021 -> "21").
TELEPHONY_AREA_CODE = os.environ.get("FREIGHTDESK_AREA_CODE", "21")
# SPEC §10 "answer within 3 rings".
TELEPHONY_ANSWER_SECONDS = int(os.environ.get("TELEPHONY_ANSWER_SECONDS", "15"))
# How long after its end a call still accepts events (a recording arrives minutes later).
TELEPHONY_LATE_EVENT_MINUTES = int(os.environ.get("TELEPHONY_LATE_EVENT_MINUTES", "120"))

# Satisfaction survey by SMS after each delivery (SPEC §10 table 3: "and, configurable, after a delivery").
SURVEY_AFTER_DELIVERY = os.environ.get("SURVEY_AFTER_DELIVERY", "1").lower() not in ("0", "false", "no", "off")

# Delivery follow-up (SPEC §7): late deliveries are checked at these local times of each working day.
TRACKING_DELIVERY_CHECKS = os.environ.get("TRACKING_DELIVERY_CHECKS", "10:00,15:00")

# --- SMS gateway (messaging) -------------------------------------------------------
SMS_BACKEND = os.environ.get("SMS_BACKEND", "console")  # console | file | http | aliyun | tencent
SMS_SIGNATURE = os.environ.get("SMS_SIGNATURE", "【滴客】")  # counted in the 70 characters
SMS = {
    "FILE_PATH": os.environ.get("SMS_FILE_PATH", str(VAR_DIR / "sms.jsonl")),
    "HTTP_URL": os.environ.get("SMS_HTTP_URL", ""),
    "HTTP_TOKEN": os.environ.get("SMS_HTTP_TOKEN", ""),
    "ALIYUN_ACCESS_KEY_ID": os.environ.get("ALIYUN_ACCESS_KEY_ID", ""),
    "ALIYUN_ACCESS_KEY_SECRET": os.environ.get("ALIYUN_ACCESS_KEY_SECRET", ""),
    "ALIYUN_ENDPOINT": os.environ.get("ALIYUN_SMS_ENDPOINT", "dysmsapi.aliyuncs.com"),
    "ALIYUN_PROTOCOL": os.environ.get("ALIYUN_SMS_PROTOCOL", "https"),
    "TENCENT_SECRET_ID": os.environ.get("TENCENT_SECRET_ID", ""),
    "TENCENT_SECRET_KEY": os.environ.get("TENCENT_SECRET_KEY", ""),
    "TENCENT_SDK_APP_ID": os.environ.get("TENCENT_SMS_SDK_APP_ID", ""),
    "TENCENT_REGION": os.environ.get("TENCENT_SMS_REGION", "ap-guangzhou"),
    "TENCENT_ENDPOINT": os.environ.get("TENCENT_SMS_ENDPOINT", "sms.tencentcloudapi.com"),
    "TENCENT_PROTOCOL": os.environ.get("TENCENT_SMS_PROTOCOL", "https"),
    "RECEIPT_TOKEN": os.environ.get("SMS_RECEIPT_TOKEN", ""),
    "TIMEOUT_SECONDS": float(os.environ.get("SMS_TIMEOUT_SECONDS", "10")),
    # gateway calls one outbox worker makes at once (HTTP, Aliyun, Tencent): a slow call or a long look-up does
    # not hold the rest of its batch
    "PARALLEL_SENDS": int(os.environ.get("SMS_PARALLEL_SENDS", "4")),
}

# --- Periodic safety net (manage.py run_periodic --every 60; started by make run) ------------
PERIODIC_JOBS = [
    "freightdesk.followups.services.sweep",  # follow-ups whose deferred task was lost
    "freightdesk.messaging.outbox.deliver_all",  # outbox drain: retries due, messages whose task was lost
    "freightdesk.tickets.followups.send_due_reminders",  # SLA reminders, breaches, promised callbacks
    "freightdesk.core.api.idempotency.purge_expired",  # Idempotency-Key records older than 24 h
    "freightdesk.reports.services.monthly_report_due",  # on the 1st: last month's driver report, managers notified
    "freightdesk.reports.weekly_files.weekly_analysis_due",  # Monday 8:30: last week's analysis, supervisors told
]
