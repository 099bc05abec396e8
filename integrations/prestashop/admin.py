from django import forms
from django.contrib import admin, messages

from .errors import PrestaShopError, staff_message
from .models import IdMapping, PrestaShopSource, StockDecrement, SyncRun, VendorLink


class PrestaShopSourceForm(forms.ModelForm):
    """The source, with its Webservice key typed here and stored encrypted (never shown again)."""

    webservice_key = forms.CharField(
        label="Clé Webservice", required=False, strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="La clé créée dans PrestaShop (Paramètres avancés > Webservice), 32 caractères. "
                  "Elle est enregistrée chiffrée et n'est plus jamais affichée ; laisser vide pour garder "
                  "la clé déjà enregistrée.",
    )

    class Meta:
        model = PrestaShopSource
        exclude = ("key_encrypted",)

    def clean_webservice_key(self) -> str:
        """A new source needs a key; a key has the Webservice's shape (32 letters and digits)."""
        key = self.cleaned_data["webservice_key"]
        if not key and not self.instance.key_encrypted:
            raise forms.ValidationError("Saisissez la clé Webservice de cette boutique.")
        if key and (len(key) != 32 or not key.isalnum()):
            raise forms.ValidationError("Une clé Webservice PrestaShop compte 32 lettres et chiffres.")
        return key

    def save(self, commit: bool = True):
        """Encrypt a newly typed key into the source."""
        source = super().save(commit=False)
        if self.cleaned_data.get("webservice_key"):
            source.set_key(self.cleaned_data["webservice_key"])
        if commit:
            source.save()
            self.save_m2m()
        return source


class VendorLinkInline(admin.TabularInline):
    """Which PrestaShop manufacturer/supplier/shop is which of our vendors."""

    model = VendorLink
    extra = 1


@admin.register(PrestaShopSource)
class PrestaShopSourceAdmin(admin.ModelAdmin):
    """Shops read by the bridge; the key is typed in the form and never shown."""

    form = PrestaShopSourceForm
    list_display = ("name", "url", "vendor_mode", "ps_version", "last_date_upd", "active")
    inlines = [VendorLinkInline]
    actions = ["check_connection"]

    @admin.action(description="Vérifier la connexion (Webservice, clé, langue française)")
    def check_connection(self, request, queryset) -> None:
        """Ask each shop its Webservice root and languages; say in French what works or what to fix."""
        from .actions import check_source

        for source in queryset:
            try:
                version, french_id, found_from = check_source(source)
            except PrestaShopError as exc:
                self.message_user(request, f"{source.name} : {staff_message(exc)}", messages.ERROR)
            except ValueError as exc:
                self.message_user(request, f"{source.name} : {exc}", messages.ERROR)
            else:
                how = "lue dans la boutique" if found_from == "iso_code" else "indiquée sur cette fiche"
                french = (f"français = langue n° {french_id} ({how})" if french_id is not None
                          else "aucune langue française dans la boutique : chaque produit restera à revoir")
                self.message_user(request, f"{source.name} : connexion correcte, PrestaShop {version or '?'}, {french}.",
                                  messages.SUCCESS)


@admin.register(SyncRun)
class SyncRunAdmin(admin.ModelAdmin):
    """Runs, with counts, skipped records and the resume cursor."""

    list_display = ("source", "kind", "status", "pages", "created", "updated", "unchanged", "to_review", "requests",
                    "started_at")
    list_filter = ("kind", "status")

    @admin.display(description="à revoir")
    def to_review(self, run: SyncRun) -> int:
        """Products imported unpublished, waiting for a person (the list is on the run's page)."""
        return len({item["ps_id"] for item in run.review})


admin.site.register(IdMapping)
admin.site.register(StockDecrement)
