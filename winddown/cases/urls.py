"""Pages of cases (namespace "cases")."""

app_name = "cases"

urlpatterns: list = []
