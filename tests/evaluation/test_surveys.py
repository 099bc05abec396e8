"""The satisfaction questionnaire: shoppers after a delivery (one answer per order), vendors once a quarter."""

import html

import pytest
from django.core.exceptions import ValidationError

from marketplace.evaluation import actions, selectors
from marketplace.evaluation.error_codes import EvaluationErrorCode as Code
from marketplace.evaluation.models import SurveyAnswer
from marketplace.evaluation.survey import anonymised, quarter_of

from .conftest import PASSWORD, SHOPPER_PASSWORD, paris

GOOD = actions.Scores(4, 3, 4, "Très bon maroilles, livreur aimable.")


def test_a_shopper_answers_once_about_a_delivered_order(make_shopper, make_order):
    # given Anne's order delivered by the van
    order = make_order(make_shopper("anne"), "101")
    assert selectors.order_survey_state(order) == "open"
    # when she answers
    answer = actions.answer_after_delivery(order, GOOD, now=paris(2026, 3, 4, 10, 0))
    # then her answer is kept, once
    assert (answer.audience, answer.q1, answer.q2, answer.q3) == ("shopper", 4, 3, 4)
    assert selectors.order_survey_state(order) == "answered"
    with pytest.raises(ValidationError) as again:
        actions.answer_after_delivery(order, GOOD, now=paris(2026, 3, 5, 10, 0))
    assert again.value.code == Code.SURVEY_ALREADY_ANSWERED
    assert SurveyAnswer.objects.count() == 1


def test_the_questionnaire_waits_for_the_delivery_and_for_three_answers(make_shopper, make_order):
    anne = make_shopper("anne")
    planned = make_order(anne, "102", status="planned")
    with pytest.raises(ValidationError) as early:
        actions.answer_after_delivery(planned, GOOD, now=paris(2026, 3, 3, 8, 0))
    assert early.value.code == Code.SURVEY_NOT_DELIVERED
    assert early.value.messages == ["Le questionnaire s'ouvre une fois la commande n° 102 livrée."]
    failed = make_order(anne, "103", status="failed")
    assert selectors.order_survey_state(failed) == "closed"
    delivered = make_order(anne, "104")
    with pytest.raises(ValidationError) as missing:
        actions.answer_after_delivery(delivered, actions.Scores(4, None, 2), now=paris(2026, 3, 4, 9, 0))
    assert missing.value.code == Code.SURVEY_SCORE_MISSING
    with pytest.raises(ValidationError):
        actions.answer_after_delivery(delivered, actions.Scores(4, 5, 2), now=paris(2026, 3, 4, 9, 0))
    assert not SurveyAnswer.objects.exists()


def test_a_vendor_answers_once_a_quarter_in_paris_time(cheese):
    # 31 March 23:30 in Paris is still the first quarter (21:30 UTC)
    first = actions.answer_for_quarter(cheese, GOOD, now=paris(2027, 3, 31, 23, 30))
    assert first.quarter == "2027-T1"
    assert not selectors.vendor_survey_due(cheese, paris(2027, 3, 1, 0, 5))
    with pytest.raises(ValidationError) as again:
        actions.answer_for_quarter(cheese, GOOD, now=paris(2027, 1, 1, 0, 0))
    assert again.value.code == Code.SURVEY_ALREADY_ANSWERED
    # ten minutes later it is the second quarter: a new questionnaire
    assert selectors.vendor_survey_due(cheese, paris(2027, 4, 1, 0, 10))
    assert actions.answer_for_quarter(cheese, GOOD, now=paris(2027, 4, 1, 0, 10)).quarter == "2027-T2"
    assert [quarter_of(d) for d in (paris(2027, 6, 30, 12).date(), paris(2027, 7, 1, 12).date(), paris(2027, 12, 31, 12).date())] == [
        "2027-T2", "2027-T3", "2027-T4"]


def test_comments_lose_emails_and_phone_numbers_for_the_report():
    text = "Appelez-moi au 06 12 34 56 78 ou +33 3 27 11 22 33, ou anne.martin@exemple.fr. Merci !"
    assert anonymised(text) == "Appelez-moi au [masqué] ou [masqué], ou [masqué]. Merci !"


def test_the_order_page_offers_the_questionnaire_once_delivered_and_only_to_its_shopper(client, make_shopper, make_order):
    anne, marcel = make_shopper("anne"), make_shopper("marcel")
    delivered, planned = make_order(anne, "201"), make_order(anne, "202", status="planned")
    client.login(username="anne", password=SHOPPER_PASSWORD)
    assert "Donner mon avis sur cette commande" in client.get("/boutique/commandes/201/").content.decode()
    assert "Donner mon avis" not in client.get("/boutique/commandes/202/").content.decode()
    page = client.get("/boutique/commandes/201/avis/").content.decode()
    assert "<fieldset>" in page and "<legend>1. Êtes-vous satisfait(e) des produits reçus ?</legend>" in page
    assert page.count('type="radio"') == 12 and '<label for="q2-3">Plutôt satisfait(e)</label>' in page
    # a missing answer: the French sentence, nothing saved
    refused = client.post("/boutique/commandes/201/avis/", {"q1": "4", "q2": "3"}).content.decode()
    assert "Choisissez une réponse pour chacune des trois questions." in refused and not SurveyAnswer.objects.exists()
    done = client.post("/boutique/commandes/201/avis/", {"q1": "4", "q2": "3", "q3": "2", "comment": "Parfait"})
    assert done.status_code == 302 and done.url == "/boutique/commandes/201/"
    assert SurveyAnswer.objects.get().order == delivered
    assert "Merci d'avoir donné votre avis" in html.unescape(client.get("/boutique/commandes/201/").content.decode())
    # the planned order's questionnaire is closed; a POST there records nothing
    client.post("/boutique/commandes/202/avis/", {"q1": "4", "q2": "4", "q3": "4"})
    assert SurveyAnswer.objects.count() == 1 and planned.pk
    # Marcel cannot open nor answer Anne's questionnaire
    client.logout()
    client.login(username="marcel", password=SHOPPER_PASSWORD)
    assert marcel.pk and client.get("/boutique/commandes/201/avis/").status_code == 404
    assert client.post("/boutique/commandes/201/avis/", {"q1": "1", "q2": "1", "q3": "1"}).status_code == 404
    assert SurveyAnswer.objects.get().q1 == 4
    # a visitor is asked to sign in
    client.logout()
    assert client.get("/boutique/commandes/201/avis/").url.startswith("/compte/connexion/")


def test_a_vendor_answers_for_its_own_shop_only(client, owners, cheese, bakery):
    client.login(username=owners["b"].username, password=PASSWORD)
    assert "Répondre au questionnaire" in client.get("/vendeur/").content.decode()
    # the bakery's owner posts, naming the cheese shop: the answer is the bakery's
    response = client.post("/vendeur/avis/", {"q1": "3", "q2": "4", "q3": "2", "vendor": cheese.pk, "vendor_id": cheese.pk})
    assert response.status_code == 302
    answer = SurveyAnswer.objects.get()
    assert answer.vendor == bakery and answer.audience == "vendor"
    assert selectors.vendor_survey_due(cheese, answer.answered_at)
    # the questionnaire is closed for the bakery until next quarter; a second POST changes nothing
    assert "Vous avez déjà répondu ce trimestre" in client.get("/vendeur/avis/").content.decode()
    client.post("/vendeur/avis/", {"q1": "1", "q2": "1", "q3": "1"})
    assert SurveyAnswer.objects.count() == 1
    assert "Répondre au questionnaire" not in client.get("/vendeur/").content.decode()


def test_a_guest_answers_by_the_signed_link_of_her_order_page(client, make_shopper, make_order):
    from django.core import signing

    from marketplace.storefront.checkout import ORDER_LINK_SALT

    # given a delivered order followed by its signed link (a guest has no password to sign in)
    order = make_order(make_shopper("invitee"), "401")
    signed = signing.dumps(order.pk, salt=ORDER_LINK_SALT)
    page = client.get(f"/boutique/commandes/suivi/{signed}/").content.decode()
    assert f'href="/boutique/commandes/suivi/{signed}/avis/"' in page
    # when she answers there
    done = client.post(f"/boutique/commandes/suivi/{signed}/avis/", {"q1": "4", "q2": "4", "q3": "3"})
    # then she is back on her order page, once
    assert done.status_code == 302 and done.url == f"/boutique/commandes/suivi/{signed}/"
    assert SurveyAnswer.objects.get().order == order
    assert "Vous avez déjà répondu" in client.get(f"/boutique/commandes/suivi/{signed}/avis/").content.decode()
    # a forged link is a 404
    assert client.get(f"/boutique/commandes/suivi/{signed[:-2]}xx/avis/").status_code == 404


def test_a_long_comment_is_cut_and_an_answer_off_the_scale_is_asked_again(client, owners):
    client.login(username=owners["a"].username, password=PASSWORD)
    off = client.post("/vendeur/avis/", {"q1": "9", "q2": "3", "q3": "3"}).content.decode()
    assert "Choisissez une réponse pour chacune des trois questions." in off and not SurveyAnswer.objects.exists()
    assert client.post("/vendeur/avis/", {"q1": "1", "q2": "2", "q3": "3", "comment": "é" * 1500}).status_code == 302
    assert len(SurveyAnswer.objects.get().comment) == 1000


def test_answers_are_in_the_shoppers_data_and_come_loose_from_her_when_she_is_erased(make_shopper, make_order):
    from marketplace.privacy.actions import erase_shopper, export_shopper_data

    anne = make_shopper("anne")
    order = make_order(anne, "501")
    actions.answer_after_delivery(order, actions.Scores(4, 4, 3, "Rappelez-moi au 06 12 34 56 78"), now=paris(2026, 3, 4, 10))
    (mine,) = export_shopper_data(anne.user)["avis_apres_livraison"]
    assert mine["commande"] == "501" and mine["reponses"] == [4, 4, 3]
    erase_shopper(anne.user, now=paris(2026, 4, 1, 12))
    kept = SurveyAnswer.objects.get()
    assert (kept.order, kept.q1, kept.comment) == (None, 4, "Rappelez-moi au [masqué]")
