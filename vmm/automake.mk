# vmm: vs-vmm, the integrated KVM VMM (see docs/architecture.md), its test
# guests and its tests.
# Everything but main() goes into a library the unit tests link too.
noinst_LIBRARIES += vmm/libvmm.a
vmm_libvmm_a_SOURCES = \
	vmm/boot.c vmm/boot.h \
	vmm/control.c \
	vmm/devices.c \
	vmm/kvm.c \
	vmm/log.c vmm/log.h \
	vmm/mainloop.c vmm/mainloop.h \
	vmm/net-tap.c \
	vmm/net-vhost-user.c \
	vmm/pci.c vmm/pci.h \
	vmm/platform.c \
	vmm/runstate.c \
	vmm/serial.c vmm/serial.h \
	vmm/vcpu.c vmm/vcpu.h \
	vmm/vhost-user.c vmm/vhost-user.h \
	vmm/virtio-blk.c vmm/virtio-blk.h \
	vmm/virtio-net.c vmm/virtio-net.h \
	vmm/virtio-pci.c vmm/virtio-pci.h \
	vmm/virtq.c vmm/virtq.h \
	vmm/vmm.h \
	vmm/vs-vmm.h

bin_PROGRAMS += vmm/vs-vmm
vmm_vs_vmm_SOURCES = vmm/vs-vmm.c
vmm_vs_vmm_LDADD = vmm/libvmm.a $(VSWITCH_LIBS)

check_PROGRAMS += tests/test-vmm-boot tests/test-vmm-virtq
tests_test_vmm_boot_SOURCES = tests/test-vmm-boot.c
tests_test_vmm_boot_CFLAGS = $(TEST_CFLAGS)
tests_test_vmm_boot_LDADD = vmm/libvmm.a $(TEST_LDADD)
tests_test_vmm_virtq_SOURCES = tests/test-vmm-virtq.c
tests_test_vmm_virtq_CFLAGS = $(TEST_CFLAGS)
tests_test_vmm_virtq_LDADD = vmm/libvmm.a $(TEST_LDADD)
TESTS += tests/test-vmm-boot tests/test-vmm-virtq

# Test guests: freestanding C run by vs-vmm through the Linux boot path.
# Built without the sanitizers or the host's PIE defaults, then wrapped
# as a bzImage by objcopy (the setup header is part of the link).
VMM_GUEST_CFLAGS = -O2 -g0 -ffreestanding -nostdlib -mgeneral-regs-only \
	-mno-red-zone -fno-pic -fno-pie -fno-stack-protector \
	-fno-asynchronous-unwind-tables -fno-builtin -Wall -Wextra -Werror \
	-Wno-unused-parameter
check_PROGRAMS += vmm/guest/vs-test-guest
vmm_guest_vs_test_guest_SOURCES = vmm/guest/head.c vmm/guest/guest.c \
	vmm/guest/glib.c vmm/guest/glib.h vmm/guest/virtio.c vmm/guest/virtio.h \
	vmm/guest/net.c vmm/guest/irq.c vmm/guest/irq.h
vmm_guest_vs_test_guest_CFLAGS = $(VMM_GUEST_CFLAGS)
vmm_guest_vs_test_guest_CPPFLAGS =
vmm_guest_vs_test_guest_LDFLAGS = -nostdlib -static -no-pie \
	-Wl,-T,$(srcdir)/vmm/guest/guest.ld -Wl,--build-id=none -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments
vmm_guest_vs_test_guest_LDADD =
vmm_guest_vs_test_guest_DEPENDENCIES = $(srcdir)/vmm/guest/guest.ld
EXTRA_DIST += vmm/guest/guest.ld
check_SCRIPTS += vmm/guest/vs-test-guest.bzImage
CLEANFILES += vmm/guest/vs-test-guest.bzImage
vmm/guest/vs-test-guest.bzImage: vmm/guest/vs-test-guest$(EXEEXT)
	$(AM_V_GEN)objcopy -O binary $< $@

# vmm-linux-boot.sh is slow (<= 300 s); VS_SKIP_SLOW_TESTS=1 skips it.
SYSTEM_TESTS += tests/system/vmm-guest.sh tests/system/vmm-errors.sh \
	tests/system/vmm-tap.sh tests/system/vmm-vhost-user.sh \
	tests/system/vmm-linux-boot.sh tests/system/vmm-control.sh
EXTRA_DIST += tests/system/vmm-guest.sh tests/system/vmm-errors.sh \
	tests/system/vmm-tap.sh tests/system/vmm-vhost-user.sh \
	tests/system/vmm-linux-boot.sh tests/system/vmm-control.sh \
	tests/system/vmm-lib.sh tests/system/vmm-fake-vhost.py

man_MANS += docs/vs-vmm.8
EXTRA_DIST += docs/vs-vmm.8 docs/vmm-network-example.sh
