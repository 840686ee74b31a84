from django.urls import path

from .views import claims, discussion, exports, feeds, groups, pages, people, preferences, suggestions

app_name = "web"

urlpatterns = [
    path("", pages.queue, name="queue"),
    path("articles/<int:pk>/", pages.article_detail, name="article-detail"),
    path("articles/fetch/", feeds.article_fetch, name="article-fetch"),
    path("articles/<int:pk>/refetch/", feeds.article_refetch, name="article-refetch"),
    # outlets and their feeds (editors manage them)
    path("outlets/", feeds.outlet_list, name="outlet-list"),
    path("outlets/new/", feeds.outlet_create, name="outlet-create"),
    path("outlets/<int:pk>/", feeds.outlet_detail, name="outlet-detail"),
    path("outlets/<int:pk>/update/", feeds.outlet_update, name="outlet-update"),
    path("feeds/", feeds.feed_list, name="feed-list"),
    path("feeds/new/", feeds.feed_create, name="feed-create"),
    path("feeds/<int:pk>/poll/", feeds.feed_poll, name="feed-poll"),
    path("search/", pages.search, name="search"),
    # people: speakers with their aliases (editors rename, add/remove aliases, merge)
    path("people/", people.person_list_view, name="person-list"),
    path("people/<int:pk>/", people.person_detail_view, name="person-detail"),
    path("people/<int:pk>/update/", people.person_update_view, name="person-update"),
    path("people/<int:pk>/aliases/", people.person_alias_add_view, name="person-alias-add"),
    path("people/<int:pk>/aliases/<int:alias_id>/remove/", people.person_alias_remove_view, name="person-alias-remove"),
    path("people/<int:pk>/merge/", people.person_merge_view, name="person-merge"),
    path("dashboard/", pages.dashboard, name="dashboard"),
    path("sources/", pages.source_list, name="source-list"),
    path("sources/<int:pk>/", pages.source_detail, name="source-detail"),
    path("preferences/", preferences.preference_edit, name="preference-edit"),
    # downloads of the work queue's current filter (?view=…&outlet=…): csv, jsonl, jsonld
    path("exports/claims.<slug:fmt>", exports.claims_export, name="claims-export"),
    path("exports/verdicts.<slug:fmt>", exports.verdicts_export, name="verdicts-export"),
    # claims (the article script calls these with fetch() and gets JSON)
    path("claims/new/", claims.claim_create, name="claim-create"),
    path("claims/bulk/", claims.claims_bulk, name="claims-bulk"),
    path("claims/bulk/undo/", claims.claims_bulk_undo, name="claims-bulk-undo"),
    path("claims/<int:pk>/", claims.claim_detail, name="claim-detail"),
    path("claims/<int:pk>/accept/", claims.claim_accept, name="claim-accept"),
    path("claims/<int:pk>/reject/", claims.claim_reject, name="claim-reject"),
    path("claims/<int:pk>/update/", claims.claim_update, name="claim-update"),
    path("claims/<int:pk>/span/", claims.claim_span, name="claim-span"),
    path("claims/<int:pk>/assign/", claims.claim_assign, name="claim-assign"),
    path("claims/<int:pk>/link-confirm/", claims.claim_link_confirm, name="claim-link-confirm"),
    path("claims/<int:pk>/link-detach/", claims.claim_link_detach, name="claim-link-detach"),
    # claim groups: mentions, evidence, verdicts
    path("groups/<int:pk>/", groups.group_detail, name="group-detail"),
    path("groups/<int:pk>/split/", groups.group_split, name="group-split"),
    path("groups/<int:pk>/merge/", groups.group_merge, name="group-merge"),
    path("groups/<int:pk>/statement/", groups.group_statement, name="group-statement"),
    path("groups/<int:pk>/review-mode/", groups.group_review_mode, name="group-review-mode"),
    # the matcher's suggestions, decided by editors
    path("suggestions/", suggestions.suggestion_list, name="suggestion-list"),
    path("suggestions/<int:pk>/confirm/", suggestions.suggestion_confirm, name="suggestion-confirm"),
    path("suggestions/<int:pk>/reject/", suggestions.suggestion_reject, name="suggestion-reject"),
    path("groups/<int:pk>/evidence/", groups.evidence_add, name="evidence-add"),
    path("evidence/<int:pk>/remove/", groups.evidence_remove, name="evidence-remove"),
    path("groups/<int:pk>/verdicts/", groups.verdict_draft, name="verdict-draft"),
    path("verdicts/<int:pk>/update/", groups.verdict_update, name="verdict-update"),
    path("verdicts/<int:pk>/submit/", groups.verdict_submit, name="verdict-submit"),
    path("verdicts/<int:pk>/approve/", groups.verdict_approve, name="verdict-approve"),
    path("verdicts/<int:pk>/publish/", groups.verdict_publish, name="verdict-publish"),
    path("verdicts/<int:pk>/correct/", groups.verdict_correct, name="verdict-correct"),
    # discussion: comment threads and the notifications bell
    path("groups/<int:pk>/comments/", discussion.group_comment, name="group-comment"),
    path("verdicts/<int:pk>/comments/", discussion.verdict_comment, name="verdict-comment"),
    path("notifications/", discussion.notification_list, name="notification-list"),
    path("notifications/read/", discussion.notifications_read, name="notifications-read"),
    path("notifications/<int:pk>/open/", discussion.notification_open, name="notification-open"),
]
