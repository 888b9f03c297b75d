/* flow_compose(): builds a frame from a flow, the inverse of flow_extract().
 *
 * For tests and tracing ("what packet would this flow be?"): the frame has
 * the flow's L2 (with its VLAN tags), L3 and L4 headers, correct checksums
 * and lengths, and no payload beyond what the headers need.  Extracting it
 * gives back the same flow for every flow flow_extract() can produce from a
 * well-formed frame. */
#ifndef VS_FLOW_COMPOSE_H
#define VS_FLOW_COMPOSE_H 1

struct dp_packet;
struct flow;

/* Appends the frame to 'packet' (normally empty) and sets its offsets and
 * metadata from 'flow'. */
void flow_compose(struct dp_packet *packet, const struct flow *flow);

#endif /* flow-compose.h */
