# expansiond build.
#
#   make                 build build/expansiond and build/plugins/*.so
#   make deps            install missing Debian packages (apt-get, via sudo
#                        when not root); does nothing when all are present
#   make demo            deps + build + run on the built-in sample data
#   make check           deps + build + the whole test suite
#   make check SANITIZE=1  the same under ASan+UBSan (objects in build/asan)
#   make bench           100k and 1M account benchmark (time, RSS)
#   make fuzz            libFuzzer harnesses (clang; not part of check)
#   make install         PREFIX=/usr/local DESTDIR=
#   make format / clean

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
SYSCONFDIR ?= /etc
UNITDIR ?= $(LIBDIR)/systemd/system
PLUGINDIR ?= $(LIBDIR)/expansiond/plugins
DESTDIR ?=

SANITIZE ?= 0
ifeq ($(SANITIZE),1)
BUILD ?= build/asan
SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
else
BUILD ?= build
SANFLAGS =
endif

CC ?= cc
OPT ?= -O2 -g
# Quiet by default ("  CC core/x.c"); make V=1 prints every command.
ifeq ($(V),1)
Q =
say = @true
else
Q = @
say = @printf '  %-6s %s\n'
endif
PKGS = libuv libcurl jansson yaml-0.1
# Evaluated once, on first use (after `deps` has had a chance to run).
PKG_CFLAGS = $(eval PKG_CFLAGS := $$(shell pkg-config --cflags $(PKGS)))$(PKG_CFLAGS)
PKG_LIBS = $(eval PKG_LIBS := $$(shell pkg-config --libs $(PKGS)))$(PKG_LIBS)
CMOCKA_LIBS = $(eval CMOCKA_LIBS := $$(shell pkg-config --libs cmocka))$(CMOCKA_LIBS)

WARN = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
       -Wno-missing-field-initializers
BASE_CFLAGS = -std=c11 -D_GNU_SOURCE $(OPT) $(WARN) $(SANFLAGS) -Iinclude -Icore
CORE_CFLAGS = $(BASE_CFLAGS) $(PKG_CFLAGS) -DEXD_PLUGINDIR='"$(PLUGINDIR)"' \
              -DEXD_VERSION='"$(VERSION)"' -DEXD_SYSCONFDIR='"$(SYSCONFDIR)"'
PLUGIN_CFLAGS = $(BASE_CFLAGS) -fPIC -fvisibility=hidden
LDFLAGS_ALL = $(SANFLAGS)

VERSION := 0.1.0

# ---- sources --------------------------------------------------------------
CORE_SRCS := $(filter-out core/main.c,$(wildcard core/*.c))
CORE_OBJS := $(CORE_SRCS:%.c=$(BUILD)/%.o)
CORE_LIB := $(BUILD)/libexpansiond-core.a

PLUGIN_NAMES := $(notdir $(patsubst %/,%,$(dir $(wildcard plugins/*/*.c))))
PLUGIN_NAMES := $(sort $(PLUGIN_NAMES))
PLUGIN_SOS := $(PLUGIN_NAMES:%=$(BUILD)/plugins/%.so)
-include $(wildcard plugins/*/plugin.mk)

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/unit/%)
PTEST_SRCS := $(wildcard tests/plugins/*/test_*.c)
PTEST_BINS := $(PTEST_SRCS:tests/plugins/%.c=$(BUILD)/tests/plugins/%)
TEST_SUPPORT_SRCS := $(wildcard tests/support/*.c)
TEST_SUPPORT_OBJS := $(TEST_SUPPORT_SRCS:%.c=$(BUILD)/%.o)
FIXTURE_SRCS := $(wildcard tests/fixtures/plugins/*.c)
FIXTURE_SOS := $(FIXTURE_SRCS:tests/fixtures/plugins/%.c=$(BUILD)/tests/fixtures/plugins/%.so)

.PHONY: all deps demo check tests bench fuzz install clean format run-tests

all: $(BUILD)/expansiond $(PLUGIN_SOS)

# ---- core -----------------------------------------------------------------
$(BUILD)/core/%.o: core/%.c $(wildcard core/*.h) include/expansiond/plugin.h
	@mkdir -p $(@D)
	$(say) CC $<
	$(Q)$(CC) $(CORE_CFLAGS) -MMD -c $< -o $@

$(CORE_LIB): $(CORE_OBJS)
	@rm -f $@
	$(say) AR $@
	$(Q)ar rcs $@ $^

$(BUILD)/expansiond: $(BUILD)/core/main.o $(CORE_LIB)
	$(say) LD $@
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $^ $(PKG_LIBS) -ldl -lm

# ---- plugins: everything in plugins/NAME/*.c becomes NAME.so ---------------
.SECONDEXPANSION:
$(BUILD)/plugins/%.so: $$(wildcard plugins/%/*.c) $$(wildcard plugins/%/*.h) include/expansiond/plugin.h
	@mkdir -p $(@D)
	$(say) PLUGIN $@
	$(Q)$(CC) $(PLUGIN_CFLAGS) -shared -o $@ $(filter %.c,$^) $(LDFLAGS_ALL) $(LIBS_$*) -lm
	@chmod 755 $@

# ---- tests ----------------------------------------------------------------
$(BUILD)/tests/%.o: tests/%.c
	@mkdir -p $(@D)
	$(say) CC $<
	$(Q)$(CC) $(CORE_CFLAGS) -Itests/support -c $< -o $@

$(BUILD)/tests/unit/%: tests/unit/%.c $(CORE_LIB) $(TEST_SUPPORT_OBJS)
	@mkdir -p $(@D)
	$(say) TEST $@
	$(Q)$(CC) $(CORE_CFLAGS) -Itests/support -Wno-missing-prototypes -o $@ $< \
	  $(TEST_SUPPORT_OBJS) $(CORE_LIB) $(CMOCKA_LIBS) $(PKG_LIBS) -ldl -lm

# Plugin unit tests link the plugin's sources directly (not the .so) plus the
# mock host in tests/support.
$(BUILD)/tests/plugins/%: tests/plugins/%.c $$(wildcard plugins/$$(firstword $$(subst /, ,$$*))/*.c) $(CORE_LIB) $(TEST_SUPPORT_OBJS)
	@mkdir -p $(@D)
	$(say) TEST $@
	$(Q)$(CC) $(CORE_CFLAGS) -Itests/support -Iplugins/$(firstword $(subst /, ,$*)) \
	  -Wno-missing-prototypes -o $@ $< $(wildcard plugins/$(firstword $(subst /, ,$*))/*.c) \
	  $(TEST_SUPPORT_OBJS) $(CORE_LIB) $(CMOCKA_LIBS) $(PKG_LIBS) \
	  $(LIBS_$(firstword $(subst /, ,$*))) -ldl -lm

$(BUILD)/tests/fixtures/plugins/%.so: tests/fixtures/plugins/%.c include/expansiond/plugin.h
	@mkdir -p $(@D)
	$(say) PLUGIN $@
	$(Q)$(CC) $(PLUGIN_CFLAGS) -shared -o $@ $< $(LDFLAGS_ALL)
	@chmod 755 $@

tests: all $(UNIT_BINS) $(PTEST_BINS) $(FIXTURE_SOS)

# ---- entry points ------------------------------------------------------------
DEB_PKGS = gcc libc6-dev make pkg-config libuv1-dev libcurl4-openssl-dev libjansson-dev \
           libyaml-dev libcmocka-dev python3 time
deps:
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' \
	    || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing$$missing"; \
	  if [ "$$(id -u)" -eq 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

demo: deps
	@$(MAKE) --no-print-directory all
	@echo "$$ $(BUILD)/expansiond run -c conf/demo.yaml --top 10"
	@$(BUILD)/expansiond run -c conf/demo.yaml --top 10

check: deps
	@$(MAKE) --no-print-directory tests
	@$(MAKE) --no-print-directory run-tests

run-tests:
	@BUILD=$(BUILD) SANITIZE=$(SANITIZE) tests/run-tests

bench: deps
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) tests/bench/run-bench

FUZZ_CC ?= clang
FUZZ_FLAGS = -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -Icore \
  -DEXD_PLUGINDIR='"$(PLUGINDIR)"' -DEXD_VERSION='"$(VERSION)"' -DEXD_SYSCONFDIR='"$(SYSCONFDIR)"'
fuzz:
	@mkdir -p build/fuzz
	$(FUZZ_CC) $(FUZZ_FLAGS) $(PKG_CFLAGS) -o build/fuzz/fuzz_config tests/fuzz/fuzz_config.c \
	  $(CORE_SRCS) $(PKG_LIBS) -ldl -lm
	$(FUZZ_CC) $(FUZZ_FLAGS) -Iplugins/csv -o build/fuzz/fuzz_csv tests/fuzz/fuzz_csv.c \
	  plugins/csv/csv_parse.c
	@echo "run: build/fuzz/fuzz_config tests/fuzz/corpus/config -max_total_time=60"
	@echo "run: build/fuzz/fuzz_csv tests/fuzz/corpus/csv -max_total_time=60"

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(PLUGINDIR) \
	  $(DESTDIR)$(INCLUDEDIR)/expansiond $(DESTDIR)$(SYSCONFDIR)/expansiond/conf.d \
	  $(DESTDIR)$(UNITDIR)
	install -m 755 $(BUILD)/expansiond $(DESTDIR)$(BINDIR)/expansiond
	install -m 755 $(PLUGIN_SOS) $(DESTDIR)$(PLUGINDIR)/
	install -m 644 include/expansiond/plugin.h $(DESTDIR)$(INCLUDEDIR)/expansiond/plugin.h
	test -e $(DESTDIR)$(SYSCONFDIR)/expansiond/expansiond.yaml || \
	  install -m 640 conf/expansiond.yaml $(DESTDIR)$(SYSCONFDIR)/expansiond/expansiond.yaml
	sed 's|/usr/local/bin/expansiond|$(BINDIR)/expansiond|g; s|/etc/expansiond|$(SYSCONFDIR)/expansiond|g' \
	  systemd/expansiond.service > $(DESTDIR)$(UNITDIR)/expansiond.service
	chmod 644 $(DESTDIR)$(UNITDIR)/expansiond.service
	install -m 644 systemd/expansiond.timer $(DESTDIR)$(UNITDIR)/expansiond.timer

format:
	clang-format -i $(wildcard core/*.[ch] include/expansiond/*.h plugins/*/*.[ch] \
	  tests/*/*.[ch] tests/plugins/*/*.[ch] tests/fixtures/plugins/*.c)

clean:
	rm -rf build

-include $(wildcard $(BUILD)/core/*.d)
