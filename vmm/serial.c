/* 16550A UART emulation, enough for Linux's 8250 driver and earlyprintk:
 * divisor latch, FIFO control, interrupt enable/identification for received
 * data and transmitter empty, loopback for the driver's probe. */
#include <config.h>
#include "serial.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "log.h"
#include "mainloop.h"
#include "util.h"
#include "vmm.h"

#define COM1_PORT 0x3f8
#define COM1_IRQ 4
#define RX_FIFO_SIZE 64

/* Register offsets. */
#define UART_RX  0      /* In: receive buffer.  Out: transmit holding. */
#define UART_IER 1
#define UART_IIR 2      /* In: interrupt identification.  Out: FIFO control. */
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_MSR 6
#define UART_SCR 7

#define IER_RDI  0x01
#define IER_THRI 0x02
#define IIR_NO_INT 0x01
#define IIR_THRI 0x02
#define IIR_RDI  0x04
#define IIR_FIFO 0xc0
#define LCR_DLAB 0x80
#define MCR_DTR  0x01
#define MCR_RTS  0x02
#define MCR_OUT1 0x04
#define MCR_OUT2 0x08
#define MCR_LOOP 0x10
#define LSR_DR   0x01
#define LSR_THRE 0x20
#define LSR_TEMT 0x40
#define MSR_CTS  0x10
#define MSR_DSR  0x20
#define MSR_RI   0x40
#define MSR_DCD  0x80

struct serial {
    struct vmm *vmm;
    struct mainloop *ml;

    /* Registers. */
    uint8_t ier, lcr, mcr, lsr, msr, scr, fcr;
    uint8_t dll, dlm;
    bool thr_ipending;          /* Transmitter-empty interrupt pending. */
    int irq_level;
    uint8_t rx[RX_FIFO_SIZE];
    unsigned int rx_head, rx_len;

    /* Host side. */
    int in_fd, out_fd;          /* stdio, or the connected client. */
    int listen_fd;              /* unix: server socket, else -1. */
    char *path;
    bool tty_raw;
    struct termios saved_tio;
    uint8_t escape;             /* Saw Ctrl-A on a raw terminal. */
};

static void
serial_update_irq(struct serial *s)
{
    bool rdi = (s->ier & IER_RDI) && s->rx_len;
    bool thri = (s->ier & IER_THRI) && s->thr_ipending;
    int level = rdi || thri;

    if (level != s->irq_level) {
        s->irq_level = level;
        vmm_irq_line(s->vmm, COM1_IRQ, level);
    }
}

static void
serial_output(struct serial *s, uint8_t c)
{
    if (s->mcr & MCR_LOOP) {
        if (s->rx_len < RX_FIFO_SIZE) {
            s->rx[(s->rx_head + s->rx_len++) % RX_FIFO_SIZE] = c;
        }
        return;
    }
    if (s->out_fd >= 0 && write(s->out_fd, &c, 1) < 0 && errno != EAGAIN) {
        /* A console client that went away: drop output until the next. */
        if (s->listen_fd >= 0) {
            mainloop_remove_fd(s->ml, s->out_fd);
            close(s->out_fd);
            s->in_fd = s->out_fd = -1;
        }
    }
}

static uint8_t
serial_msr(const struct serial *s)
{
    if (s->mcr & MCR_LOOP) {
        return (s->mcr & MCR_DTR ? MSR_DSR : 0) | (s->mcr & MCR_RTS ? MSR_CTS : 0)
            | (s->mcr & MCR_OUT1 ? MSR_RI : 0) | (s->mcr & MCR_OUT2 ? MSR_DCD : 0);
    }
    return MSR_DCD | MSR_DSR | MSR_CTS;
}

static void
serial_io(void *s_, uint64_t offset, void *data, unsigned int len,
          bool is_write)
{
    struct serial *s = s_;
    uint8_t *p = data;
    bool dlab = s->lcr & LCR_DLAB;

    if (len != 1) {
        if (!is_write) {
            memset(data, 0xff, len);
        }
        return;
    }
    if (is_write) {
        uint8_t v = p[0];
        switch (offset) {
        case UART_RX:
            if (dlab) {
                s->dll = v;
            } else {
                serial_output(s, v);
                s->thr_ipending = true;
            }
            break;
        case UART_IER:
            if (dlab) {
                s->dlm = v;
            } else {
                if (!(s->ier & IER_THRI) && (v & IER_THRI)) {
                    s->thr_ipending = true;
                }
                s->ier = v & 0x0f;
            }
            break;
        case UART_IIR:
            s->fcr = v;
            if (v & 0x02) {     /* Clear the receive FIFO. */
                s->rx_len = 0;
            }
            break;
        case UART_LCR: s->lcr = v; break;
        case UART_MCR: s->mcr = v & 0x1f; break;
        case UART_SCR: s->scr = v; break;
        default: break;
        }
    } else {
        switch (offset) {
        case UART_RX:
            if (dlab) {
                p[0] = s->dll;
            } else if (s->rx_len) {
                p[0] = s->rx[s->rx_head];
                s->rx_head = (s->rx_head + 1) % RX_FIFO_SIZE;
                s->rx_len--;
                if (!s->rx_len && s->in_fd >= 0) {
                    mainloop_set_events(s->ml, s->in_fd, POLLIN);
                }
            } else {
                p[0] = 0;
            }
            break;
        case UART_IER: p[0] = dlab ? s->dlm : s->ier; break;
        case UART_IIR:
            if ((s->ier & IER_RDI) && s->rx_len) {
                p[0] = IIR_RDI;
            } else if ((s->ier & IER_THRI) && s->thr_ipending) {
                p[0] = IIR_THRI;
                s->thr_ipending = false;
            } else {
                p[0] = IIR_NO_INT;
            }
            if (s->fcr & 0x01) {
                p[0] |= IIR_FIFO;
            }
            break;
        case UART_LCR: p[0] = s->lcr; break;
        case UART_MCR: p[0] = s->mcr; break;
        case UART_LSR:
            p[0] = LSR_THRE | LSR_TEMT | (s->rx_len ? LSR_DR : 0);
            break;
        case UART_MSR: p[0] = serial_msr(s); break;
        case UART_SCR: p[0] = s->scr; break;
        default: p[0] = 0xff; break;
        }
    }
    serial_update_irq(s);
}

void
serial_input(struct serial *s, const uint8_t *buf, size_t n)
{
    for (size_t i = 0; i < n && s->rx_len < RX_FIFO_SIZE; i++) {
        s->rx[(s->rx_head + s->rx_len++) % RX_FIFO_SIZE] = buf[i];
    }
    serial_update_irq(s);
}

static void
serial_read_cb(void *s_, int fd, short revents)
{
    struct serial *s = s_;
    uint8_t buf[RX_FIFO_SIZE];
    size_t room = RX_FIFO_SIZE - s->rx_len;

    if (!room) {
        /* Guest is not reading: stop polling until the FIFO drains. */
        mainloop_set_events(s->ml, fd, 0);
        return;
    }
    ssize_t n = read(fd, buf, room);
    if (n <= 0) {
        if (n < 0 && errno == EAGAIN) {
            return;
        }
        mainloop_remove_fd(s->ml, fd);
        if (s->listen_fd >= 0) {
            close(fd);
            s->in_fd = s->out_fd = -1;
        } else {
            s->in_fd = -1;      /* stdin closed; keep writing output. */
        }
        return;
    }
    if (s->tty_raw) {
        /* Ctrl-A x quits, Ctrl-A Ctrl-A sends Ctrl-A. */
        size_t j = 0;
        for (ssize_t i = 0; i < n; i++) {
            if (s->escape) {
                s->escape = 0;
                if (buf[i] == 'x') {
                    VMM_INFO("quit requested on the console");
                    vmm_request_stop(s->vmm, VMM_STOP_SIGNAL);
                    return;
                }
                buf[j++] = buf[i];
            } else if (buf[i] == 0x01) {
                s->escape = 1;
            } else {
                buf[j++] = buf[i];
            }
        }
        n = j;
    }
    serial_input(s, buf, n);
}

static void
serial_accept_cb(void *s_, int fd, short revents)
{
    struct serial *s = s_;
    int conn = accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

    if (conn < 0) {
        return;
    }
    if (s->out_fd >= 0) {
        mainloop_remove_fd(s->ml, s->out_fd);
        close(s->out_fd);
    }
    s->in_fd = s->out_fd = conn;
    mainloop_add_fd(s->ml, conn, POLLIN, serial_read_cb, s);
}

static int
serial_listen(struct serial *s, const char *path)
{
    struct sockaddr_un sun = { .sun_family = AF_UNIX };

    if (strlen(path) >= sizeof sun.sun_path) {
        VMM_ERR("serial socket path too long: %s", path);
        return ENAMETOOLONG;
    }
    strcpy(sun.sun_path, path);
    s->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    unlink(path);
    if (s->listen_fd < 0
        || bind(s->listen_fd, (struct sockaddr *) &sun, sizeof sun) < 0
        || listen(s->listen_fd, 1) < 0) {
        int error = errno;
        VMM_ERR("serial socket %s: %s", path, strerror(error));
        return error;
    }
    s->path = xstrdup(path);
    mainloop_add_fd(s->ml, s->listen_fd, POLLIN, serial_accept_cb, s);
    return 0;
}

int
serial_create(struct vmm *vmm, struct mainloop *ml, const char *spec,
              struct serial **sp)
{
    struct serial *s = xzalloc(sizeof *s);
    int error = 0;

    s->vmm = vmm;
    s->ml = ml;
    s->in_fd = s->out_fd = s->listen_fd = -1;
    s->thr_ipending = false;

    if (!strcmp(spec, "stdio")) {
        s->in_fd = STDIN_FILENO;
        s->out_fd = STDOUT_FILENO;
        if (isatty(STDIN_FILENO) && !tcgetattr(STDIN_FILENO, &s->saved_tio)) {
            struct termios raw = s->saved_tio;
            cfmakeraw(&raw);
            raw.c_oflag |= OPOST;       /* Keep \n -> \r\n for our logs. */
            tcsetattr(STDIN_FILENO, TCSANOW, &raw);
            s->tty_raw = true;
        }
        mainloop_add_fd(ml, s->in_fd, POLLIN, serial_read_cb, s);
    } else if (str_starts_with(spec, "unix:") && spec[5]) {
        error = serial_listen(s, spec + 5);
    } else {
        VMM_ERR("bad --serial \"%s\": use stdio or unix:PATH", spec);
        error = EINVAL;
    }
    if (error) {
        serial_destroy(s);
        return error;
    }
    io_bus_register(&vmm->pio, COM1_PORT, 8, serial_io, s);
    *sp = s;
    return 0;
}

void
serial_destroy(struct serial *s)
{
    if (!s) {
        return;
    }
    if (s->tty_raw) {
        tcsetattr(STDIN_FILENO, TCSANOW, &s->saved_tio);
    }
    if (s->listen_fd >= 0) {
        if (s->out_fd >= 0) {
            close(s->out_fd);
        }
        close(s->listen_fd);
        unlink(s->path);
    }
    free(s->path);
    free(s);
}
