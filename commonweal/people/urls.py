from django.urls import path

from . import views

app_name = "people"
P = "places/<str:place_code>/people/<int:pk>/"
urlpatterns = [
    path("places/<str:place_code>/people/", views.caseload, name="caseload"),
    path("places/<str:place_code>/people/new/", views.person_new, name="person_new"),
    path(P, views.person_timeline, name="person"),
    path(P + "details/", views.person_edit, name="person_edit"),
    path(P + "consents/", views.consents, name="consents"),
    path(P + "consents/<int:consent>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path(P + "conversations/new/", views.conversation_new, name="conversation_new"),
    path(P + "conversations/<int:conversation>/", views.conversation_detail, name="conversation"),
    path(P + "plan/", views.plan_detail, name="plan"),
    path(P + "plan/goals/", views.plan_goal_new, name="plan_goal_new"),
    path(P + "plan/goals/<int:goal>/steps/", views.plan_step_new, name="plan_step_new"),
    path(P + "plan/goals/<int:goal>/achieved/", views.plan_goal_achieved, name="plan_goal_achieved"),
    path(P + "plan/steps/<int:step>/", views.plan_step_progress, name="plan_step_progress"),
    path(P + "connections/", views.connections, name="connections"),
    path(P + "connections/<int:connection>/", views.connection_detail, name="connection"),
    path(P + "wellbeing/new/", views.wellbeing_new, name="wellbeing_new"),
    path(P + "wellbeing/<slug:instrument>/new/", views.wellbeing_new, name="wellbeing_new_instrument"),
    path(P + "export/", views.person_export, name="export"),
    path(P + "export.json", views.person_export_json, name="export_json"),
    path(P + "gp-record.json", views.person_gp_record, {"fmt": "json"}, name="gp_record_json"),
    path(P + "gp-record.csv", views.person_gp_record, {"fmt": "csv"}, name="gp_record_csv"),
    path(P + "erase/", views.person_erase, name="erase"),
    path("places/<str:place_code>/inbox/", views.inbox, name="inbox"),
    path("places/<str:place_code>/inbox/<int:connection>/", views.inbox_connection, name="inbox_connection"),
    path("places/<str:place_code>/wellbeing/", views.place_wellbeing, name="place_wellbeing"),
    path("my-record/", views.my_record, name="my_record"),
    path("my-record/download.json", views.my_record_download, name="my_record_download"),
]
