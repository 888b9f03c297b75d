/* vs-vmm: a small KVM virtual machine monitor whose guests plug into the
 * switch over vhost-user (or a tap device).  See docs/architecture.md. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "boot.h"
#include "daemon.h"
#include "dirs.h"
#include "log.h"
#include "mainloop.h"
#include "serial.h"
#include "util.h"
#include "vcpu.h"
#include "vmm.h"
#include "vs-vmm.h"

static int signal_pipe[2] = { -1, -1 };

static void
signal_handler(int sig)
{
    uint8_t b = sig;
    if (write(signal_pipe[1], &b, 1) < 0) {
        /* Pipe full: a stop is already pending. */
    }
}

static void
signal_cb(void *vmm_, int fd, short revents)
{
    struct vmm *vmm = vmm_;
    uint8_t b;

    if (read(fd, &b, 1) == 1) {
        VMM_INFO("%s received, powering off", strsignal(b));
        vmm_request_stop(vmm, VMM_STOP_SIGNAL);
    }
}

static void
wake_cb(void *vmm_ VS_UNUSED, int fd, short revents)
{
    uint64_t count;
    if (read(fd, &count, sizeof count) < 0) {
        /* Nothing to drain. */
    }
}

/* Creates directory 'path' and its parents.  Returns 0 or an errno. */
static int
mkdir_p(const char *path)
{
    char *copy = xstrdup(path);
    int error = 0;

    for (char *p = copy + 1; ; p++) {
        if (*p == '/' || !*p) {
            char c = *p;
            *p = '\0';
            if (mkdir(copy, 0755) && errno != EEXIST) {
                error = errno;
                break;
            }
            *p = c;
            if (!c) {
                break;
            }
        }
    }
    free(copy);
    return error;
}

static void
usage(void)
{
    printf("%s: a KVM virtual machine monitor for vswitch guests\n"
           "usage: %s --kernel PATH [OPTIONS]\n"
           "  --kernel PATH          Linux bzImage (64-bit entry) or ELF vmlinux (PVH)\n"
           "  --initrd PATH          initial ramdisk\n"
           "  --cmdline STR          kernel command line\n"
           "  --cpus N               vCPUs (1-%d, default 1)\n"
           "  --memory MiB           guest RAM (%d-%d, default 256)\n"
           "  --net vhost-user=SOCKET[,mac=MAC][,server][,queues=N]\n"
           "                         virtio-net on a vhost-user backend\n"
           "  --net tap=IFNAME[,mac=MAC]\n"
           "                         virtio-net on a tap device\n"
           "  --disk PATH[,readonly] virtio-blk on a raw image\n"
           "  --serial stdio|unix:PATH\n"
           "                         console (default stdio; Ctrl-A x quits)\n"
           "  --name NAME            VM name (control socket vs-vmm.NAME)\n"
           "  --ctl PATH             control socket path\n"
           "  -v, --verbose[=SPEC]   log levels (default: debug)\n"
           "  --detach, --pidfile[=F], --log-file[=F], --monitor, --no-chdir\n"
           "                         run as a daemon\n"
           "  -h, --help             this help\n"
           "  -V, --version          version\n",
           program_name, program_name, VMM_MAX_VCPUS, VMM_MIN_MEMORY_MIB,
           VMM_MAX_MEMORY_MIB);
}

static int
parse_options(int argc, char *argv[], struct vmm_config *cfg)
{
    enum { OPT_KERNEL = 256, OPT_INITRD, OPT_CMDLINE, OPT_CPUS, OPT_MEMORY,
           OPT_NET, OPT_DISK, OPT_SERIAL, OPT_NAME, OPT_CTL };
    static const struct option long_options[] = {
        { "kernel", required_argument, NULL, OPT_KERNEL },
        { "initrd", required_argument, NULL, OPT_INITRD },
        { "cmdline", required_argument, NULL, OPT_CMDLINE },
        { "cpus", required_argument, NULL, OPT_CPUS },
        { "memory", required_argument, NULL, OPT_MEMORY },
        { "net", required_argument, NULL, OPT_NET },
        { "disk", required_argument, NULL, OPT_DISK },
        { "serial", required_argument, NULL, OPT_SERIAL },
        { "name", required_argument, NULL, OPT_NAME },
        { "ctl", required_argument, NULL, OPT_CTL },
        VLOG_LONG_OPTIONS,
        DAEMON_LONG_OPTIONS,
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    int c;

    memset(cfg, 0, sizeof *cfg);
    cfg->n_cpus = 1;
    cfg->memory_mib = 256;
    cfg->serial = "stdio";
    cfg->name = "vm";
    while ((c = getopt_long(argc, argv, "v::hV", long_options, NULL)) != -1) {
        unsigned int n;
        switch (c) {
        case OPT_KERNEL: cfg->kernel = optarg; break;
        case OPT_INITRD: cfg->initrd = optarg; break;
        case OPT_CMDLINE: cfg->cmdline = optarg; break;
        case OPT_CPUS:
            if (!str_to_uint(optarg, 10, &n) || n < 1 || n > VMM_MAX_VCPUS) {
                VMM_ERR("--cpus %s: must be 1 to %d", optarg, VMM_MAX_VCPUS);
                return EINVAL;
            }
            cfg->n_cpus = n;
            break;
        case OPT_MEMORY:
            if (!str_to_uint(optarg, 10, &n) || n < VMM_MIN_MEMORY_MIB
                || n > VMM_MAX_MEMORY_MIB) {
                VMM_ERR("--memory %s: must be %d to %d MiB", optarg,
                        VMM_MIN_MEMORY_MIB, VMM_MAX_MEMORY_MIB);
                return EINVAL;
            }
            cfg->memory_mib = n;
            break;
        case OPT_NET:
            if (cfg->n_nets >= VMM_MAX_NETS) {
                VMM_ERR("at most %d --net devices", VMM_MAX_NETS);
                return EINVAL;
            }
            cfg->nets[cfg->n_nets++] = optarg;
            break;
        case OPT_DISK:
            if (cfg->n_disks >= VMM_MAX_DISKS) {
                VMM_ERR("at most %d --disk devices", VMM_MAX_DISKS);
                return EINVAL;
            }
            cfg->disks[cfg->n_disks++] = optarg;
            break;
        case OPT_SERIAL: cfg->serial = optarg; break;
        case OPT_NAME:
            if (!optarg[0] || strchr(optarg, '/')) {
                VMM_ERR("--name %s: must be non-empty without '/'", optarg);
                return EINVAL;
            }
            cfg->name = optarg;
            break;
        case OPT_CTL: cfg->ctl_path = optarg; break;
        VLOG_OPTION_HANDLERS
        DAEMON_OPTION_HANDLERS
        case 'h': usage(); exit(EXIT_SUCCESS);
        case 'V': vs_print_version(); exit(EXIT_SUCCESS);
        default: return EINVAL;
        }
    }
    if (optind < argc) {
        VMM_ERR("unexpected argument \"%s\" (try --help)", argv[optind]);
        return EINVAL;
    }
    if (!cfg->kernel) {
        VMM_ERR("--kernel is required (try --help)");
        return EINVAL;
    }
    return 0;
}

static void
install_signals(struct mainloop *ml, struct vmm *vmm)
{
    struct sigaction sa;

    if (pipe2(signal_pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
        vs_fatal(errno, "pipe");
    }
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = signal_handler;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    mainloop_add_fd(ml, signal_pipe[0], POLLIN, signal_cb, vmm);
}

int
main(int argc, char *argv[])
{
    struct vmm_config cfg;
    struct vmm *vmm = NULL;
    struct mainloop *ml = NULL;
    struct serial *serial = NULL;
    struct vmm_devices *devs = NULL;
    struct boot_entry entry;
    int status = EXIT_FAILURE;
    int error;

    set_program_name(argv[0]);
    if (parse_options(argc, argv, &cfg)) {
        return 2;
    }

    /* vs-appctl finds "vs-vmm.NAME" through this pidfile. */
    if (!get_pidfile()) {
        int error = mkdir_p(vs_rundir());
        if (error) {
            VMM_WARN("cannot create %s (%s): no pidfile or control socket",
                     vs_rundir(), strerror(error));
            cfg.no_control = !cfg.ctl_path;
        } else {
            char *pidfile = xasprintf("%s/vs-vmm.%s.pid", vs_rundir(),
                                      cfg.name);
            set_pidfile(pidfile);
            free(pidfile);
        }
    }
    /* Before any KVM fd exists: a VM belongs to the process that made it. */
    daemonize_start();
    vlog_init();

    error = vmm_create(cfg.memory_mib, cfg.n_cpus, &vmm);
    if (error) {
        return EXIT_FAILURE;
    }
    ml = mainloop_create();
    mainloop_set_lock(ml, &vmm->dev_lock);
    install_signals(ml, vmm);
    mainloop_add_fd(ml, vmm->wake_fd, POLLIN, wake_cb, vmm);

    platform_init(vmm);
    if (serial_create(vmm, ml, cfg.serial, &serial)) {
        goto out;
    }
    if (vmm_devices_create(vmm, ml, &cfg, &devs)) {
        goto out;
    }
    struct boot_config bc = {
        .kernel_path = cfg.kernel,
        .initrd_path = cfg.initrd,
        .cmdline = cfg.cmdline,
    };
    if (boot_load_linux(vmm, &bc, &entry)) {
        goto out;
    }
    for (int i = 0; i < cfg.n_cpus; i++) {
        if (vcpu_create(vmm, i, &vmm->vcpus[i])) {
            goto out;
        }
    }
    if (vcpu_set_boot_entry(vmm->vcpus[0], &entry)) {
        goto out;
    }
    if (!cfg.no_control && vmm_control_create(vmm, ml, &cfg, devs)) {
        VMM_WARN("continuing without a control socket");
    }
    for (int i = 0; i < cfg.n_cpus; i++) {
        if (vcpu_start(vmm->vcpus[i])) {
            vmm_request_stop(vmm, VMM_STOP_ERROR);
            break;
        }
    }
    VMM_INFO("VM \"%s\" started: %d vCPU(s), %llu MiB", cfg.name, cfg.n_cpus,
             (unsigned long long) cfg.memory_mib);
    daemonize_complete();

    while (__atomic_load_n(&vmm->state, __ATOMIC_ACQUIRE) != VMM_STOPPING) {
        mainloop_run_once(ml, -1);
    }
    for (int i = 0; i < cfg.n_cpus; i++) {
        if (vmm->vcpus[i]) {
            vcpu_join(vmm->vcpus[i]);
        }
    }
    VMM_INFO("VM \"%s\" stopped: %s", cfg.name,
             vmm_stop_reason_name(vmm->stop_reason));
    status = vmm->stop_reason == VMM_STOP_ERROR ? EXIT_FAILURE : EXIT_SUCCESS;

out:
    vmm_control_destroy();
    for (int i = 0; vmm && i < cfg.n_cpus; i++) {
        if (vmm->vcpus[i]) {
            vmm_request_stop(vmm, VMM_STOP_ERROR);
            vcpu_destroy(vmm->vcpus[i]);
            vmm->vcpus[i] = NULL;
        }
    }
    vmm_devices_destroy(devs);
    serial_destroy(serial);
    mainloop_destroy(ml);
    vmm_destroy(vmm);
    return status;
}
