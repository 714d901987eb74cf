"""Pages of the Fairtrade premium, under /c/<cooperative code>/fairtrade/ (see cooperatives/pages.py)."""

from django.urls import path

from . import views

app_name = "fairtrade"

urlpatterns = [
    path("c/<slug:code>/fairtrade/", views.PremiumReportView.as_view(), name="report"),
    path("c/<slug:code>/fairtrade/report.xlsx", views.PremiumReportXlsxView.as_view(), name="report_xlsx"),
    path("c/<slug:code>/fairtrade/receipts/new/", views.PremiumReceiptCreateView.as_view(), name="receipt_create"),
    path("c/<slug:code>/fairtrade/spendings/new/", views.PremiumSpendingCreateView.as_view(), name="spending_create"),
]
