"""Validates recorded REST request bodies against Discord's official OpenAPI spec.

Usage: python3 validate_openapi.py OPENAPI_JSON REQUESTS_JSON
REQUESTS_JSON is a list of {"method", "route", "body"} where route is a path template such
as /channels/{channel_id}/messages. Prints one line per request and exits 1 on any failure.
"""
import json
import re
import sys

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012


def shape(template: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", template)


def main() -> int:
    spec = json.load(open(sys.argv[1]))
    requests = json.load(open(sys.argv[2]))
    registry = Registry().with_resource("urn:discord-openapi", Resource.from_contents(spec, default_specification=DRAFT202012))
    paths = {shape(path): path for path in spec["paths"]}
    failures = 0
    for request in requests:
        method, route, body = request["method"].lower(), request["route"], request["body"]
        path = paths.get(shape(route))
        if path is None or method not in spec["paths"][path]:
            print(f"FAIL {method.upper()} {route}: not in the spec")
            failures += 1
            continue
        content = spec["paths"][path][method].get("requestBody", {}).get("content", {})
        if "application/json" not in content:
            print(f"FAIL {method.upper()} {route}: the spec takes no JSON body here")
            failures += 1
            continue
        pointer = "/".join(part.replace("~", "~0").replace("/", "~1")
                           for part in ["paths", path, method, "requestBody", "content", "application/json", "schema"])
        validator = Draft202012Validator({"$ref": f"urn:discord-openapi#/{pointer}"}, registry=registry)
        errors = sorted(validator.iter_errors(body), key=lambda error: list(error.path))
        if errors:
            failures += 1
            print(f"FAIL {method.upper()} {route}: {errors[0].message} at {list(errors[0].path)}")
        else:
            print(f"ok   {method.upper()} {route}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
