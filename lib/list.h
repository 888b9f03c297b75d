/* Doubly linked circular list with a sentinel head (embedded nodes). */
#ifndef VS_LIST_H
#define VS_LIST_H 1

#include <stdbool.h>
#include <stddef.h>
#include "util.h"

struct vs_list {
    struct vs_list *prev, *next;
};

#define VS_LIST_INITIALIZER(LIST) { LIST, LIST }

static inline void vs_list_init(struct vs_list *l) { l->prev = l->next = l; }
static inline bool vs_list_is_empty(const struct vs_list *l) { return l->next == l; }

/* Inserts 'elem' just before 'before'. */
static inline void
vs_list_insert(struct vs_list *before, struct vs_list *elem)
{
    elem->prev = before->prev;
    elem->next = before;
    before->prev->next = elem;
    before->prev = elem;
}
static inline void vs_list_push_back(struct vs_list *l, struct vs_list *e) { vs_list_insert(l, e); }
static inline void vs_list_push_front(struct vs_list *l, struct vs_list *e) { vs_list_insert(l->next, e); }

/* Removes 'elem' and returns the element that followed it. */
static inline struct vs_list *
vs_list_remove(struct vs_list *elem)
{
    elem->prev->next = elem->next;
    elem->next->prev = elem->prev;
    struct vs_list *next = elem->next;
    elem->prev = elem->next = NULL;
    return next;
}

static inline struct vs_list *
vs_list_pop_front(struct vs_list *l)
{
    struct vs_list *front = l->next;
    vs_list_remove(front);
    return front;
}

static inline struct vs_list *
vs_list_pop_back(struct vs_list *l)
{
    struct vs_list *back = l->prev;
    vs_list_remove(back);
    return back;
}

static inline struct vs_list *vs_list_front(const struct vs_list *l) { return l->next; }
static inline struct vs_list *vs_list_back(const struct vs_list *l) { return l->prev; }

static inline size_t
vs_list_size(const struct vs_list *l)
{
    size_t n = 0;
    for (const struct vs_list *e = l->next; e != l; e = e->next) {
        n++;
    }
    return n;
}

/* Moves all of 'src' to the end of 'dst', leaving 'src' empty. */
static inline void
vs_list_splice_back(struct vs_list *dst, struct vs_list *src)
{
    if (vs_list_is_empty(src)) {
        return;
    }
    src->next->prev = dst->prev;
    dst->prev->next = src->next;
    src->prev->next = dst;
    dst->prev = src->prev;
    vs_list_init(src);
}

#define VS_LIST_FOR_EACH(ITER, MEMBER, LIST)                              \
    for (ITER = OBJECT_CONTAINING((LIST)->next, ITER, MEMBER);            \
         &(ITER)->MEMBER != (LIST);                                       \
         ITER = OBJECT_CONTAINING((ITER)->MEMBER.next, ITER, MEMBER))
#define VS_LIST_FOR_EACH_REVERSE(ITER, MEMBER, LIST)                      \
    for (ITER = OBJECT_CONTAINING((LIST)->prev, ITER, MEMBER);            \
         &(ITER)->MEMBER != (LIST);                                       \
         ITER = OBJECT_CONTAINING((ITER)->MEMBER.prev, ITER, MEMBER))
/* Safe against removal of ITER; NEXT is a variable of the same type. */
#define VS_LIST_FOR_EACH_SAFE(ITER, NEXT, MEMBER, LIST)                   \
    for (ITER = OBJECT_CONTAINING((LIST)->next, ITER, MEMBER);            \
         (&(ITER)->MEMBER != (LIST)                                       \
          ? (NEXT = OBJECT_CONTAINING((ITER)->MEMBER.next, ITER, MEMBER), 1) \
          : 0);                                                           \
         ITER = NEXT)
#define VS_LIST_FOR_EACH_POP(ITER, MEMBER, LIST)                          \
    while (!vs_list_is_empty(LIST)                                        \
           && (ITER = OBJECT_CONTAINING(vs_list_pop_front(LIST), ITER, MEMBER), 1))

#endif /* list.h */
