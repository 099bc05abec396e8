// A fake Stripe.js for browser tests: answers for https://js.stripe.com/v3/ (page.route), no network.
// It implements only what the card page calls: Stripe(pk, options), elements({clientSecret}),
// elements.create("payment").mount(selector) and confirmPayment({elements, confirmParams}).
// The "Payment Element" is a labelled field; 4000 0000 0000 0002 is declined without leaving the
// page (as Stripe does), any other number "confirms" the PaymentIntent through the fake Stripe API
// (https://api.stripe.com, answered by the test) and navigates to return_url with Stripe's params.
(function () {
  "use strict";
  window.Stripe = function (publishableKey, options) {
    if (!/^pk_/.test(publishableKey)) { throw new Error("fake Stripe: bad publishable key " + publishableKey); }
    window.__fakeStripe = { publishableKey: publishableKey, locale: (options || {}).locale };
    return {
      elements: function (opts) {
        var clientSecret = opts.clientSecret;
        window.__fakeStripe.clientSecret = clientSecret;
        return {
          _clientSecret: clientSecret,
          create: function (type) {
            if (type !== "payment") { throw new Error("fake Stripe: only the payment element"); }
            return {
              mount: function (selector) {
                var box = document.querySelector(selector);
                box.innerHTML = '<label for="fake-card-number">Numéro de carte</label>' +
                  '<input id="fake-card-number" inputmode="numeric" autocomplete="cc-number">';
              },
            };
          },
        };
      },
      confirmPayment: function (args) {
        var secret = args.elements._clientSecret;
        var intent = secret.split("_secret_")[0];
        var number = document.getElementById("fake-card-number").value.replace(/\D/g, "");
        if (/0002$/.test(number)) {
          return Promise.resolve({ error: { type: "card_error", code: "card_declined",
                                            message: "Votre carte a été refusée." } });
        }
        return fetch("https://api.stripe.com/v1/payment_intents/" + intent + "/confirm", { method: "POST" })
          .then(function (answer) { return answer.json(); })
          .then(function (confirmed) {
            var url = new URL(args.confirmParams.return_url);
            url.searchParams.set("payment_intent", intent);
            url.searchParams.set("payment_intent_client_secret", secret);
            url.searchParams.set("redirect_status", confirmed.status);
            window.location.assign(url.toString());
            return new Promise(function () {});  // Stripe's promise does not settle on a redirect
          });
      },
    };
  };
})();
