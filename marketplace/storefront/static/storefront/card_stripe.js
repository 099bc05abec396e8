// The card page's client step with Stripe.js: the Payment Element confirms the PaymentIntent that
// Saleor's Stripe app opened; Stripe then sends the shopper to our return page (see docs/payments.md).
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("carte-stripe").textContent);
  var form = document.getElementById("paiement-carte");
  var button = document.getElementById("payer");
  var error = document.getElementById("erreur-carte");

  function show(message) {
    error.textContent = message;
    error.hidden = false;
  }

  if (typeof window.Stripe !== "function") {
    show("Le formulaire de paiement n'a pas pu se charger : vérifiez votre connexion et rechargez la page.");
    return;
  }
  var stripe = window.Stripe(config.publishableKey, { locale: config.locale });
  var elements = stripe.elements({
    clientSecret: config.clientSecret,
    locale: config.locale,
    appearance: { variables: { fontSizeBase: "18px", spacingUnit: "5px" } },
  });
  var payment = elements.create("payment", { layout: "tabs" });
  var loading = document.getElementById("chargement-carte");
  if (loading) { loading.remove(); }
  payment.mount("#element-paiement");
  button.disabled = false;

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    button.disabled = true;
    button.textContent = "Paiement en cours…";
    error.hidden = true;
    stripe.confirmPayment({ elements: elements, confirmParams: { return_url: config.returnUrl } })
      .then(function (result) {
        // Stripe navigates to return_url on success or after the bank's page; an error comes back here
        if (result && result.error) {
          show((result.error.message || "Le paiement n'a pas abouti.") + " Rien n'a été débité.");
          button.disabled = false;
          button.textContent = "Réessayer le paiement";
        }
      });
  });
})();
