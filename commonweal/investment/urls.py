from django.urls import path

from .views import contracts, grants, pb

app_name = "investment"

P = "places/<str:place_code>/"
urlpatterns = [
    # Funds and grants on trust
    path(P + "funds/", grants.fund_list, name="fund_list"),
    path(P + "funds/new/", grants.fund_create, name="fund_create"),
    path(P + "funds/<int:pk>/", grants.fund_detail, name="fund"),
    path(P + "funds/<int:pk>/contributions/new/", grants.contribution_add, name="contribution_add"),
    path(P + "funds/<int:pk>/rounds/new/", grants.round_create, name="round_create"),
    path(P + "rounds/<int:pk>/", grants.round_detail, name="round"),
    path(P + "rounds/<int:pk>/status/", grants.round_status, name="round_status"),
    path(P + "rounds/<int:pk>/apply/", grants.apply, name="apply"),
    path(P + "rounds/<int:pk>/panel/", grants.panel, name="panel"),
    path(P + "applications/<int:pk>/", grants.application_detail, name="application"),
    path(P + "applications/<int:pk>/notes/", grants.note_add, name="note_add"),
    path(P + "awards/<int:pk>/", grants.award_detail, name="award"),
    path(P + "awards/<int:pk>/payments/", grants.payment_add, name="payment_add"),
    path(P + "awards/<int:pk>/reports/new/", grants.report_add, name="report_add"),
    path(P + "grants/360giving.json", grants.grants_json, name="grants_json"),
    path(P + "grants/360giving.csv", grants.grants_csv, name="grants_csv"),
    # Participatory budgeting
    path(P + "pb/", pb.process_list, name="pb_list"),
    path(P + "pb/new/", pb.process_create, name="pb_create"),
    path(P + "pb/import/", pb.import_file, name="pb_import"),
    path(P + "pb/<int:pk>/", pb.process_detail, name="pb_process"),
    path(P + "pb/<int:pk>/stage/", pb.process_stage, name="pb_stage"),
    path(P + "pb/<int:pk>/propose/", pb.propose, name="pb_propose"),
    path(P + "pb/<int:pk>/vote/", pb.vote, name="pb_vote"),
    path(P + "pb/<int:pk>/ballots.pb", pb.export, name="pb_export"),
    path(P + "pb/projects/<int:pk>/", pb.project_detail, name="pb_project"),
    path(P + "pb/projects/<int:pk>/check/", pb.project_check, name="pb_project_check"),
    path(P + "pb/projects/<int:pk>/milestones/", pb.milestone_add, name="pb_milestone_add"),
    path(P + "pb/milestones/<int:pk>/done/", pb.milestone_done, name="pb_milestone_done"),
    path(P + "residence/", pb.residence, name="residence"),
    path(P + "residences/", pb.residences, name="residences"),
    # Joint commissioning and alliances
    path(P + "contracts/", contracts.contract_list, name="contract_list"),
    path(P + "contracts/new/", contracts.contract_create, name="contract_create"),
    path(P + "contracts/review/", contracts.review, name="contract_review"),
    path(P + "contracts/<int:pk>/", contracts.contract_detail, name="contract"),
    path(P + "contracts/<int:pk>/<str:part>/", contracts.contract_add, name="contract_add"),
    path(P + "outcomes/<int:pk>/measurements/", contracts.measurement_add, name="measurement_add"),
]
