from api.models import ApiToken, ServiceAccount


def personal_tokens(user):
    return ApiToken.objects.filter(user=user, service_account__isnull=True)


def service_accounts():
    return ServiceAccount.objects.select_related("user").order_by("name")


def service_account_tokens(account: ServiceAccount):
    return ApiToken.objects.filter(service_account=account)
