"""Lender and public pages of voting events (included into web/urls.py, namespace "web")."""

urlpatterns: list = []
