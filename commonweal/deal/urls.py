app_name = "deal"
urlpatterns: list[object] = []
