from django.urls import path

from webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("", views.subscription_list, name="subscriptions"),
    path("<int:pk>/", views.subscription_detail, name="subscription"),
    path("<int:pk>/action/", views.subscription_action, name="subscription_action"),
    path("deliveries/<int:pk>/send-again/", views.delivery_send_again, name="send_again"),
]
