from django.urls import path

from . import public_views, review_views, views

app_name = "orders"
urlpatterns = [
    path("", views.order_list, name="list"),
    path("new/", views.new_phone_order, name="new_phone_order"),
    path("new/preview/", views.preview, name="preview"),
    path("new/caller/", views.caller_lookup, name="caller_lookup"),
    path("review/", review_views.review_queue, name="review_queue"),
    path("review/overdue/", review_views.overdue_reviews, name="overdue_reviews"),
    path("review/<str:serial>/", review_views.review_page, name="review"),
    path("review/<str:serial>/claim/", review_views.claim, name="review_claim"),
    path("review/<str:serial>/release/", review_views.release, name="review_release"),
    path("review/<str:serial>/call/", review_views.call_attempt, name="review_call"),
    path("review/<str:serial>/outcome/", review_views.review_outcome, name="review_outcome"),
    path("web/", public_views.web_order, name="web_order"),
    path("web/placed/<str:serial>/", public_views.web_order_placed, name="web_order_placed"),
    path("web/status/", public_views.order_status, name="order_status"),
    path("mine/", public_views.my_orders, name="my_orders"),
    path("mine/<str:serial>/", public_views.my_order, name="my_order"),
    path("<str:serial>/", views.order_detail, name="detail"),
]
