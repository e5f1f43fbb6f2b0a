"""Checks the Kubernetes example and docker-compose.yml without a cluster or Docker."""
import pathlib
import sys

import yaml

KNOWN = {
    ("v1", "Namespace"): [],
    ("v1", "ConfigMap"): ["data"],
    ("v1", "Service"): ["spec.selector", "spec.ports"],
    ("v1", "Secret"): [],
    ("v1", "ServiceAccount"): [],
    ("apps/v1", "StatefulSet"): ["spec.selector", "spec.template.spec.containers", "spec.serviceName"],
    ("apps/v1", "Deployment"): ["spec.selector", "spec.template.spec.containers"],
    ("batch/v1", "Job"): ["spec.template.spec.containers", "spec.template.spec.restartPolicy"],
    ("external-secrets.io/v1", "SecretStore"): ["spec.provider.vault.server"],
    ("external-secrets.io/v1", "ExternalSecret"): ["spec.secretStoreRef", "spec.data"],
    ("secrets.hashicorp.com/v1beta1", "VaultAuth"): ["spec.method"],
    ("secrets.hashicorp.com/v1beta1", "VaultDynamicSecret"): ["spec.mount", "spec.path", "spec.destination.name"],
}


def get(doc, dotted):
    for part in dotted.split("."):
        if not isinstance(doc, dict) or part not in doc:
            return None
        doc = doc[part]
    return doc


def main():
    k8s, compose = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    problems, count = [], 0
    for path in sorted(k8s.glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if not doc:
                continue
            count += 1
            key = (doc.get("apiVersion"), doc.get("kind"))
            name = f"{path.name}: {key[1]} {get(doc, 'metadata.name')}"
            if key not in KNOWN:
                problems.append(f"{name}: unknown apiVersion/kind {key}")
                continue
            if not get(doc, "metadata.name"):
                problems.append(f"{name}: no metadata.name")
            for field in KNOWN[key]:
                if get(doc, field) in (None, [], {}):
                    problems.append(f"{name}: missing {field}")
    services = yaml.safe_load(compose.read_text())["services"]
    for name, service in services.items():
        image = service.get("image", "")
        if ":" not in image or image.endswith(":latest"):
            problems.append(f"docker-compose.yml: service {name} has an unpinned image {image!r}")
        if "litellm" in image and any(bad in image for bad in ("1.82.7", "1.82.8")):
            problems.append(f"docker-compose.yml: {image} is a known malicious LiteLLM release")
        for volume in service.get("volumes", []):
            source = volume.split(":")[0] if isinstance(volume, str) else None
            if source and source.startswith("./") and not (compose.parent / source).exists():
                problems.append(f"docker-compose.yml: service {name} mounts missing {source}")
    for problem in problems:
        print(problem)
    print(f"checked {count} Kubernetes documents and {len(services)} compose services: {len(problems)} problems")
    sys.exit(1 if problems else 0)


main()
