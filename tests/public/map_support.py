"""What the tests of the map share: its URLs and a reader for the data's columns."""

import json

from django.urls import reverse


def data_url(campaign, query=""):
    return reverse("public:map_data", kwargs={"slug": campaign.slug}) + (f"?{query}" if query else "")


def popup_url(action):
    return reverse("public:action_popup", kwargs={"slug": action.campaign.slug, "pk": action.pk})


def get_data(client, campaign, query="", **headers):
    response = client.get(data_url(campaign, query), headers=headers)
    assert response.status_code == 200
    return response, json.loads(response.content)


def decoded(data) -> list[dict]:
    """The columns back as one dict per action."""
    rows, pk = [], 0
    for i in range(data["n"]):
        pk += data["id"][i]
        rows.append(
            {
                "id": pk,
                "lat": data["lat"][i],
                "lon": data["lon"][i],
                "type": data["types"][data["type"][i]],
                "day": data["days"][data["day"][i]],
                "cancelled": i in data["cancelled"],
            }
        )
    return rows
