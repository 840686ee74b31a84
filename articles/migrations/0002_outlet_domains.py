"""Outlets get any number of domains (OutletDomain); the single `Outlet.domain` is copied into it
and dropped."""

import django.db.models.deletion
from django.db import migrations, models


def copy_domains(apps, schema_editor):
    Outlet = apps.get_model("articles", "Outlet")
    OutletDomain = apps.get_model("articles", "OutletDomain")
    OutletDomain.objects.bulk_create(
        OutletDomain(outlet_id=pk, domain=domain.strip().lower().removeprefix("www."))
        for pk, domain in Outlet.objects.exclude(domain="").values_list("pk", "domain"))


def copy_back(apps, schema_editor):
    Outlet = apps.get_model("articles", "Outlet")
    OutletDomain = apps.get_model("articles", "OutletDomain")
    for d in OutletDomain.objects.order_by("-id"):
        Outlet.objects.filter(pk=d.outlet_id).update(domain=d.domain)


class Migration(migrations.Migration):

    dependencies = [
        ("articles", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="OutletDomain",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("domain", models.CharField(max_length=253, unique=True)),
                ("outlet", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="domains",
                                             to="articles.outlet")),
            ],
            options={"ordering": ["domain"]},
        ),
        migrations.RunPython(copy_domains, copy_back),
        migrations.RemoveConstraint(model_name="outlet", name="outlet_domain_unique"),
        migrations.RemoveField(model_name="outlet", name="domain"),
        migrations.AddConstraint(
            model_name="outlet",
            constraint=models.CheckConstraint(condition=models.Q(("name", ""), _negated=True), name="outlet_name_not_empty"),
        ),
    ]
