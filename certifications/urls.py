"""Pages of this app, under /c/<cooperative code>/ (see cooperatives/pages.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path(
        "c/<slug:code>/families/<int:producer>/inspections/new/",
        views.InspectionCreateView.as_view(),
        name="inspection_create",
    ),
    path("c/<slug:code>/inspections/<int:pk>/", views.InspectionDetailView.as_view(), name="inspection_detail"),
    path(
        "c/<slug:code>/inspections/<int:pk>/photos/<slug:key>/",
        views.InspectionPhotoView.as_view(),
        name="inspection_photo",
    ),
    path(
        "c/<slug:code>/inspections/<int:pk>/non-conformities/<int:non_conformity>/close/",
        views.NonConformityCloseView.as_view(),
        name="non_conformity_close",
    ),
    path(
        "c/<slug:code>/inspections/<int:pk>/sanctions/new/",
        views.SanctionImposeView.as_view(),
        name="sanction_impose",
    ),
    path(
        "c/<slug:code>/inspections/<int:pk>/approval/",
        views.ApprovalDecideView.as_view(),
        name="approval_decide",
    ),
    path("c/<slug:code>/campaigns/", views.CampaignListView.as_view(), name="campaign_list"),
    path("c/<slug:code>/campaigns/<int:pk>/", views.CampaignDetailView.as_view(), name="campaign_detail"),
    path("c/<slug:code>/ics/", views.IcsView.as_view(), name="ics"),
    path("c/<slug:code>/ics/approved-members/", views.ApprovedMemberListView.as_view(), name="approved_member_list"),
    path("c/<slug:code>/ics/samples/<int:pk>/", views.SampleDetailView.as_view(), name="sample_detail"),
]
