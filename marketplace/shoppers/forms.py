"""Allauth's forms as the one sign-in page of shoppers, vendors and staff shows them."""

from allauth.account.forms import LoginForm


class SignInForm(LoginForm):
    """Allauth's sign-in form, its first field saying that a username or an e-mail address will do.

    Shoppers sign in with their e-mail address, vendors and staff often with the username
    they were given: allauth's label alone ("Identifiant") left the shoppers wondering.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = "Identifiant ou adresse e-mail"
