/** The lifecycle of the node's long-lived components (Teku's Service pattern). */
package io.vouch.node.service;
