"""URLs: the pages, the admin, and the API under /api/ with its OpenAPI schema."""
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from cables.api import CableViewSet
from tracker import admin as tracker_admin
from tracker.api import QuestionViewSet, RequirementSetViewSet, ResponseViewSet, SuggestionViewSet

router = DefaultRouter()
router.register("cables", CableViewSet, basename="api-cable")
router.register("requirement-sets", RequirementSetViewSet, basename="api-requirement-set")
router.register("questions", QuestionViewSet, basename="api-question")
router.register("responses", ResponseViewSet, basename="api-response")
router.register("suggestions", SuggestionViewSet, basename="api-suggestion")

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="cable-list", permanent=False), name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # before the admin's own: "view on site" only to what the user may see
    path("admin/r/<path:content_type_id>/<path:object_id>/", admin.site.admin_view(tracker_admin.view_on_site),
         name="admin-view-on-site"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/token/", login_not_required(obtain_auth_token), name="api-token"),
    path("api/", include(router.urls)),
    path("", include("cables.urls")),
    path("", include("tracker.page_urls")),
]
