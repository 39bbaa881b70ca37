# zhongfu — build, test, install.  `make help` lists the targets.
PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
CC      ?= cc
VERSION := 0.1.0

PKGS    := xlsxwriter libpq libcjson cmocka minizip expat libgsf-1 libcrypto zlib
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
           -DZF_VERSION='"$(VERSION)"' -DZF_DATADIR='"$(PREFIX)/share/zhongfu"' -Iinclude $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm -lpthread

# `make TESTING=1 ...`: everything built with -DZF_TESTING (STATIC functions external, see
# include/zf_testing.h), into build-testing.
ifeq ($(TESTING),1)
BUILD   := build-testing
CFLAGS  += -DZF_TESTING
endif

# Sanitizer build: `make SAN=1 test` builds into build-san with ASan + UBSan.
ifeq ($(SAN),1)
BUILD   := build-san
CFLAGS  += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
endif

# Fuzzing build: `make FUZZ=1 ...` builds into build-fuzz with clang, the library
# instrumented for libFuzzer's coverage and under ASan + UBSan (pointer overflow included).
ifeq ($(FUZZ),1)
BUILD   := build-fuzz
CC      := clang
CFLAGS  += -O1 -fsanitize=fuzzer-no-link,address,undefined,pointer-overflow -fno-omit-frame-pointer \
           -fno-sanitize-recover=all -Wno-string-concatenation
endif

# `make SAN=clang test-unit test-e2e`: clang's UBSan, which also checks pointer arithmetic
# (a wrapped index, memcpy from NULL) where gcc's does not; into build-san-clang.
ifeq ($(SAN),clang)
BUILD   := build-san-clang
CC      := clang
CFLAGS  += -O1 -fsanitize=undefined,pointer-overflow -fno-omit-frame-pointer -fno-sanitize-recover=all \
           -Wno-string-concatenation
LDFLAGS += -fsanitize=undefined
endif

MAIN_SRC := etl/cli/main.c
LIB_SRC  := $(filter-out $(MAIN_SRC),$(sort $(wildcard etl/*/*.c report/*.c)))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
GEN_SRC  := $(sort $(wildcard samples/generator/*.c))
# Sources with STATIC functions or test hooks (include/zf_testing.h): the unit tests link them built again
# with -DZF_TESTING, and the other objects as they are (libzf-testing.a).
TESTING_SRC := $(shell grep -lE '^(STATIC |\#ifdef ZF_TESTING)' $(LIB_SRC) 2>/dev/null)
TESTING_OBJ := $(TESTING_SRC:%.c=$(BUILD)/obj-testing/%.o)

# Objects are kept (not deleted as intermediates); the .d files are not listed, so a missing
# one makes its object out of date.
.SECONDARY: $(patsubst %.c,$(BUILD)/obj/%.o,$(MAIN_SRC) $(GEN_SRC) $(TEST_SRC)) $(LIB_OBJ) $(TESTING_OBJ)
.PHONY: check-layering all deps deps-test deps-fuzz fuzz fuzz-build fuzz-smoke test test-unit test-e2e test-fault test-pg sanitize valgrind demo install clean help samples samples-office
all: $(BUILD)/zhongfu $(BUILD)/zf-samplegen

help:
	@echo "make            build $(BUILD)/zhongfu and the sample generator"
	@echo "make demo       run the Yuyao plan on samples/yuyao into out/"
	@echo "make test       unit, end-to-end, fault-injection and PostgreSQL tests (installs what is missing)"
	@echo "make check-layering  includes follow docs/architecture.md's layers"
	@echo "make test-fault ENOSPC, EIO and short writes at the write points of a run"
	@echo "make SAN=1 test the same under ASan + UBSan"
	@echo "make SAN=clang test-unit test-e2e   under clang's UBSan (pointer overflow too)"
	@echo "make valgrind   the sample run under valgrind (leaks are errors)"
	@echo "make install    into \$$(DESTDIR)\$$(PREFIX)"

deps:
	@./tools/install-deps

deps-test:
	@./tools/install-deps test

# Each object's header dependencies come from the compiler (-MMD -MP, into the .d beside the
# .o), so touching a private header such as etl/extract/reader_internal.h rebuilds what uses it.
# An object whose .d is missing (a build from before this rule) is rebuilt once.
CFLAGS  += -MMD -MP

$(BUILD)/obj/%.o: %.c $(BUILD)/obj/%.d
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/libzf.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/zhongfu: $(BUILD)/obj/$(MAIN_SRC:.c=.o) $(BUILD)/libzf.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/zf-samplegen: $(GEN_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/libzf.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/obj-testing/%.o: %.c $(BUILD)/obj-testing/%.d
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -DZF_TESTING -c $< -o $@

$(BUILD)/libzf-testing.a: $(filter-out $(TESTING_SRC:%.c=$(BUILD)/obj/%.o),$(LIB_OBJ)) $(TESTING_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(BUILD)/libzf-testing.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/obj/tests/unit/%.o: tests/unit/%.c $(BUILD)/obj/tests/unit/%.d
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -DZF_TESTING -DZF_SOURCE_DIR='"$(CURDIR)"' -c $< -o $@

DEP_FILES := $(patsubst %.c,$(BUILD)/obj/%.d,$(MAIN_SRC) $(LIB_SRC) $(GEN_SRC) $(TEST_SRC)) $(TESTING_OBJ:.o=.d)
$(DEP_FILES):
-include $(wildcard $(DEP_FILES))

# ---- fuzzing (tests/fuzz/): `make fuzz FUZZ_SECONDS=600` runs each harness that long on
# its corpus (tests/fuzz/corpus/NAME, grown in build-fuzz/corpus/NAME); `make fuzz-smoke`,
# part of `make test`, runs each for FUZZ_SMOKE seconds so that every change is fuzzed.
FUZZ_NAMES   := $(basename $(notdir $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_SMOKE_NAMES := $(FUZZ_NAMES)
FUZZ_SECONDS ?= 300
FUZZ_SMOKE   ?= 15
build-fuzz/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz.h build-fuzz/libzf.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fsanitize=fuzzer -D_GNU_SOURCE -DZF_SOURCE_DIR='"$(CURDIR)"' -o $@ $< build-fuzz/libzf.a $(LDLIBS)

fuzz-build: deps-fuzz
	@$(MAKE) --no-print-directory FUZZ=1 $(FUZZ_NAMES:%=build-fuzz/fuzz/%)

deps-fuzz:
	@./tools/install-deps fuzz

fuzz: fuzz-build
	@for f in $(FUZZ_NAMES); do mkdir -p build-fuzz/corpus/$$f; \
	  ./tools/fuzz-run $$f $(FUZZ_SECONDS) || exit 1; done

fuzz-smoke: fuzz-build
	@pass=0; fail=0; for f in $(FUZZ_SMOKE_NAMES); do \
	  if ./tools/fuzz-run $$f $(FUZZ_SMOKE) >build-fuzz/$$f.log 2>&1; then pass=$$((pass+1)); echo "ok   $$f"; \
	  else fail=$$((fail+1)); echo "FAIL $$f"; tail -40 build-fuzz/$$f.log; fi; done; \
	  echo "fuzz: $$pass passed, $$fail failed"; [ $$fail -eq 0 ]

test-unit: $(TEST_BIN)
	@./tests/run-unit $(TEST_BIN)

# The layering of docs/architecture.md, and proof that the check can fail: a copy of the
# tree where report/ includes the engine's header must be refused.
check-layering:
	@./tools/check-layering
	@t=$$(mktemp -d) && cp -r include etl report $$t/ && echo '#include "zf_engine.h"' >> $$t/report/manifest.c && \
	  if ./tools/check-layering $$t >/dev/null; then rm -rf $$t; echo "check-layering: a wrong include went unnoticed"; exit 1; fi; \
	  rm -rf $$t; echo "check-layering: a deliberate wrong include is refused"

test-e2e: $(BUILD)/zhongfu $(BUILD)/zf-samplegen
	@BUILD=$(BUILD) ./tests/e2e/run
	@BUILD=$(BUILD) ./tests/e2e/plans
	@BUILD=$(BUILD) ./tests/e2e/outdir
	@BUILD=$(BUILD) ./tests/e2e/hardening
	@BUILD=$(BUILD) ./tests/e2e/layouts
	@BUILD=$(BUILD) ./tests/e2e/textformats
	@BUILD=$(BUILD) ./tests/e2e/xls
	@BUILD=$(BUILD) ./tests/e2e/office

# Fault injection (tests/fault/README.md): ENOSPC, EIO and short writes at the write points
# of a run, through an LD_PRELOAD shim.  Not under SAN=1: ASan wants to be preloaded first.
$(BUILD)/fault/shim.so: tests/fault/shim.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -g -std=c11 -Wall -Wextra -Werror -shared -fPIC -o $@ $< -ldl -lpthread

test-fault: $(BUILD)/zhongfu $(BUILD)/fault/shim.so
	@BUILD=$(BUILD) ./tests/fault/run

test-pg: $(BUILD)/zhongfu
	@BUILD=$(BUILD) ./tests/pg/run

# The whole suite, as CI runs it: unit, end-to-end, fault-injection and PostgreSQL tests, then the unit and
# end-to-end tests again under ASan + UBSan, then the sample run under valgrind.
test: deps-test
	@$(MAKE) --no-print-directory all $(TEST_BIN)
	@$(MAKE) --no-print-directory check-layering test-unit test-e2e test-fault test-pg
	@$(MAKE) --no-print-directory sanitize
	@$(MAKE) --no-print-directory fuzz-smoke
	@$(MAKE) --no-print-directory valgrind

sanitize:
	@$(MAKE) --no-print-directory SAN=1 all $(TEST_BIN:$(BUILD)/%=build-san/%)
	@$(MAKE) --no-print-directory SAN=1 test-unit test-e2e
	@if command -v clang >/dev/null; then \
	  $(MAKE) --no-print-directory SAN=clang all $(TEST_BIN:$(BUILD)/%=build-san-clang/%) && \
	  $(MAKE) --no-print-directory SAN=clang test-unit test-e2e; \
	else echo "sanitize: no clang, its UBSan pass skipped"; fi

valgrind: $(BUILD)/zhongfu
	@rm -rf $(BUILD)/valgrind-out
	@valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite,indirect \
	  $(BUILD)/zhongfu run --plan yuyao --data samples/yuyao --out $(BUILD)/valgrind-out \
	  --as-of 2026-06-30 --no-charts --no-archive --quiet; rc=$$?; \
	  if [ $$rc -eq 0 ] || [ $$rc -eq 3 ]; then echo "valgrind: 1 passed, 0 failed"; \
	  else echo "valgrind: 0 passed, 1 failed (exit $$rc)"; exit 1; fi

demo: deps
	@$(MAKE) --no-print-directory all
	@./tools/demo

samples: $(BUILD)/zf-samplegen
	rm -rf samples/yuyao && $(BUILD)/zf-samplegen --out samples/yuyao --as-of 2025-06-30 --seed 1 --scale 0.1

# samples/yuyao in the forms departments send (samples/README.md), into build/: the 合计 rows
# hold the sums of the records the tidy run accepts.
samples-office: $(BUILD)/zhongfu
	@rm -rf $(BUILD)/samples/yuyao-office $(BUILD)/samples/yuyao-tidy-run $(BUILD)/samples/yuyao-accepted
	@mkdir -p $(BUILD)/samples
	@$(BUILD)/zhongfu run --plan yuyao --data samples/yuyao --out $(BUILD)/samples/yuyao-tidy-run \
	  --as-of 2026-06-30 --no-charts --no-archive --quiet \
	  --export-accepted $(BUILD)/samples/yuyao-accepted; rc=$$?; [ $$rc -eq 0 ] || [ $$rc -eq 3 ]
	/usr/bin/python3 samples/generator/office_forms.py samples/yuyao $(BUILD)/samples/yuyao-office \
	  --truth samples/yuyao.truth.csv --accepted $(BUILD)/samples/yuyao-accepted \
	  --quality $(BUILD)/samples/yuyao-tidy-run/quality.csv

install: $(BUILD)/zhongfu
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/zhongfu
	install -m 0755 $(BUILD)/zhongfu $(DESTDIR)$(PREFIX)/bin/zhongfu
	cp -R templates $(DESTDIR)$(PREFIX)/share/zhongfu/
	cp -R sql $(DESTDIR)$(PREFIX)/share/zhongfu/

clean:
	rm -rf build build-san build-san-clang build-testing out
