from django.http import HttpResponse


def order_list(request):
    return HttpResponse()


new_phone_order = preview = caller_lookup = order_detail = order_list
