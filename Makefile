# porter — the two commands a new user needs are `make sim` and `make test`.
BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
CMAKE      ?= cmake
CTEST_J    ?= 4
FUZZ_SECONDS ?= 600
CMAKE_ARGS ?=

# `make test ASAN=1`: the same tests built with AddressSanitizer + UBSan.
ifeq ($(ASAN),1)
BUILD := $(ASAN_BUILD)
CMAKE_ARGS += -DPORTER_SANITIZE=ON
endif

# The container image `make image` builds: the one the manifests name, read
# from its one place, config/default/kustomization.yaml (images:).
IMAGE      ?= $(shell awk '/newName:/ {n=$$2} /newTag:/ {t=$$2} END {print n ":" t}' config/default/kustomization.yaml)
CONTAINER  ?= $(shell command -v docker || command -v podman)
KUBECTL    ?= kubectl
# `make build DEPS_SET=build`: install only what compiling needs (the
# image's build stage); empty: everything the tests need too.
DEPS_SET   ?=

.PHONY: all deps configure build test sim bench asan fuzz format manifests image clean

all: build

deps:
	@.ci/deps $(DEPS_SET)

$(BUILD)/build.ninja:
	$(CMAKE) -S . -B $(BUILD) -G Ninja $(CMAKE_ARGS)

configure: deps $(BUILD)/build.ninja

build: configure
	$(CMAKE) --build $(BUILD)

# Every test label except the benchmarks.
test: build
	cd $(BUILD) && ctest --output-on-failure --no-tests=error -j $(CTEST_J) -LE bench

# The simulation demo (see README: arrives with the simulation issue).
sim: build
	$(BUILD)/actors/porter sim demo

bench: build
	cd $(BUILD) && ctest --output-on-failure -L bench --verbose

# Unit, actor, golden and fuzz-replay tests under AddressSanitizer + UBSan.
asan: deps
	$(CMAKE) -S . -B $(ASAN_BUILD) -G Ninja -DPORTER_SANITIZE=ON
	$(CMAKE) --build $(ASAN_BUILD)
	cd $(ASAN_BUILD) && ctest --output-on-failure -j $(CTEST_J) -L 'unit|actor|fuzz|golden'

# libFuzzer runs (clang), each seeded from its committed corpus and given
# FUZZ_SECONDS: the BGP message decoder, then the Kubernetes object decoders.
fuzz: deps
	CXX=clang++ $(CMAKE) -S . -B $(FUZZ_BUILD) -G Ninja -DPORTER_FUZZ=ON
	$(CMAKE) --build $(FUZZ_BUILD) --target fuzz_bgp_decode fuzz_k8s_decode
	mkdir -p $(FUZZ_BUILD)/corpus $(FUZZ_BUILD)/corpus_k8s
	cp test/fuzz/corpus/* $(FUZZ_BUILD)/corpus/
	cp test/fuzz/corpus_k8s/* $(FUZZ_BUILD)/corpus_k8s/
	$(FUZZ_BUILD)/test/fuzz/fuzz_bgp_decode -max_total_time=$(FUZZ_SECONDS) $(FUZZ_BUILD)/corpus
	$(FUZZ_BUILD)/test/fuzz/fuzz_k8s_decode -max_total_time=$(FUZZ_SECONDS) $(FUZZ_BUILD)/corpus_k8s

# manifests/*.yaml are config/ rendered by kustomize (kubectl's built-in);
# e2e.manifests fails when they are out of date.
manifests:
	$(KUBECTL) kustomize config/default >manifests/porter.yaml.tmp
	$(KUBECTL) kustomize config/podnetwork >manifests/porter-podnetwork.yaml.tmp
	mv manifests/porter.yaml.tmp manifests/porter.yaml
	mv manifests/porter-podnetwork.yaml.tmp manifests/porter-podnetwork.yaml

# The multi-stage Dockerfile: Debian 12 build stage (`make build`), slim
# runtime with the binary's shared libraries, entrypoint `porter`.
image:
	@test -n "$(CONTAINER)" || { echo "image: neither docker nor podman found" >&2; exit 1; }
	$(CONTAINER) build -t $(IMAGE) .

format:
	git ls-files -co --exclude-standard -- '*.cpp' '*.hpp' | xargs clang-format -i

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
