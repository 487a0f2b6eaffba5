"""The JSON of export_data: Django's JSON, with every microsecond of a date and time kept.

Django's encoder cuts times to milliseconds, so records saved within one millisecond would
come back from a restore in another order, and every time would differ from the original.
loaddata reads this JSON with Django's own deserializer.
"""

import datetime

from django.core.serializers import json

Deserializer = json.Deserializer


class Encoder(json.DjangoJSONEncoder):
    def default(self, o: object) -> object:
        if isinstance(o, datetime.datetime):
            return o.isoformat()
        return super().default(o)


class Serializer(json.Serializer):
    def _init_options(self) -> None:
        super()._init_options()
        self.json_kwargs["cls"] = Encoder
