"""Cable pages: the list with facets and search, a cable's page, and an import job's live status."""
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render

from cables.filters import CableFilter, facets
from cables.models import Cable, ImportJob, Tag

PAGE_SIZE = 50


def cable_list(request):
    cable_filter = CableFilter(request.GET, queryset=Cable.objects.visible_to(request.user), request=request)
    queryset = cable_filter.qs.only("reference_id", "created", "classification", "origin", "subject").prefetch_related(
        Prefetch("tags", queryset=Tag.objects.only("name"))
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cables/cable_list.html",
        {"filter": cable_filter, "page": page, "facets": facets(cable_filter.qs), "query": query},
    )


def cable_detail(request, reference_id: str):
    cable = get_object_or_404(
        Cable.objects.visible_to(request.user).prefetch_related("tags"), reference_id=reference_id.upper()
    )
    paragraphs = list(cable.paragraphs.visible_to(request.user))
    withheld = cable.paragraphs.count() - len(paragraphs)
    return render(
        request,
        "cables/cable_detail.html",
        {
            "cable": cable,
            "paragraphs": paragraphs,
            "withheld": withheld,
            "sources": cable.sources.only("form", "name", "imported", "fullness", "cable_id"),
            "changes": cable.changes.all()[:20],
        },
    )


@permission_required("cables.view_importjob", raise_exception=True)
def import_detail(request, pk: int):
    job = get_object_or_404(ImportJob, pk=pk)
    return render(request, "cables/import_detail.html",
                  {"job": job, "rejections": job.rejections.order_by("chunk__number", "pk")})


@permission_required("cables.view_importjob", raise_exception=True)
def import_status(request, pk: int):
    job = get_object_or_404(ImportJob, pk=pk)
    return JsonResponse(
        {
            "status": job.status,
            "percent": job.percent,
            "processed_bytes": job.processed_bytes,
            "total_bytes": job.total_bytes,
            "new": job.new,
            "updated": job.updated_count,
            "unchanged": job.unchanged,
            "rejected": job.rejected,
            "message": job.message,
            "chunks": job.chunks.count(),
            "chunks_done": job.chunks.filter(status=ImportJob.DONE).count(),
        }
    )
