/* printf.c - a small printf: enough conversions for diagnostics, no floating point. */
#include "../drivers/console.h"
#include "rt.h"

struct out {
    char *buf;
    size_t size, len; /* len counts every character produced, stored or not (C semantics) */
};

static void put(struct out *o, char c) {
    if (o->len + 1 < o->size) o->buf[o->len] = c;
    o->len++;
}

static void put_padded(struct out *o, const char *s, size_t n, unsigned width, bool left, char pad) {
    size_t fill = width > n ? width - n : 0;
    if (!left)
        while (fill--) put(o, pad);
    for (size_t i = 0; i < n; ++i) put(o, s[i]);
    if (left)
        while (fill--) put(o, ' ');
}

static void put_number(struct out *o, uint64_t v, bool negative, unsigned base, bool upper, unsigned width, bool left,
                       bool zero) {
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    size_t n = 0;
    do {
        tmp[sizeof tmp - 1 - n++] = digits[v % base];
        v /= base;
    } while (v);
    if (negative) {
        if (zero && !left) { /* the sign goes before the zeros: -0042 */
            put(o, '-');
            if (width) --width;
        } else {
            tmp[sizeof tmp - 1 - n++] = '-';
        }
    }
    put_padded(o, tmp + sizeof tmp - n, n, width, left, zero && !left ? '0' : ' ');
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap) {
    struct out o = {buf, size, 0};
    for (; *fmt; ++fmt) {
        if (*fmt != '%') {
            put(&o, *fmt);
            continue;
        }
        bool left = false, zero = false;
        unsigned width = 0, longs = 0;
        for (;; ++fmt) {
            if (fmt[1] == '-') left = true;
            else if (fmt[1] == '0') zero = true;
            else break;
        }
        while (fmt[1] >= '0' && fmt[1] <= '9') width = width * 10 + (unsigned)(*++fmt - '0');
        while (fmt[1] == 'l') ++longs, ++fmt;
        if (fmt[1] == 'z') longs = 2, ++fmt;
        char conv = *++fmt;
        switch (conv) {
            case 'd':
            case 'i': {
                int64_t v = longs ? va_arg(ap, int64_t) : va_arg(ap, int);
                put_number(&o, v < 0 ? 0 - (uint64_t)v : (uint64_t)v, v < 0, 10, false, width, left, zero);
                break;
            }
            case 'u':
            case 'x':
            case 'X': {
                uint64_t v = longs ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
                put_number(&o, v, false, conv == 'u' ? 10 : 16, conv == 'X', width, left, zero);
                break;
            }
            case 'p':
                put(&o, '0');
                put(&o, 'x');
                put_number(&o, (uint64_t)(uintptr_t)va_arg(ap, void *), false, 16, false, width, left, zero);
                break;
            case 's': {
                const char *s = va_arg(ap, const char *);
                if (!s) s = "(null)";
                put_padded(&o, s, strlen(s), width, left, ' ');
                break;
            }
            case 'c': {
                char c = (char)va_arg(ap, int);
                put_padded(&o, &c, 1, width, left, ' ');
                break;
            }
            case '%': put(&o, '%'); break;
            case '\0': --fmt; break; /* a lone '%' at the end */
            default:
                put(&o, '%');
                put(&o, conv);
        }
    }
    if (size) buf[o.len < size ? o.len : size - 1] = '\0';
    return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

void e9_write(const char *s, size_t n) {
    for (size_t i = 0; i < n; ++i) outb(0xE9, (uint8_t)s[i]);
}

void e9_printf(const char *fmt, ...) {
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    e9_write(buf, n < (int)sizeof buf ? (size_t)n : sizeof buf - 1);
}

void printf(const char *fmt, ...) {
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    size_t len = n < (int)sizeof buf ? (size_t)n : sizeof buf - 1;
    console_write_active(buf, len); /* the active console driver, if one is chosen yet */
    e9_write(buf, len);
}
