/*
 * piconfig.h - what public-inbox's and lei's own configuration say.
 *
 * public-inbox names inboxes in $PI_CONFIG (default
 * ~/.public-inbox/config):
 *
 *   [publicinbox "bpf"]
 *           inboxdir = /srv/lore/bpf
 *           address = bpf@vger.kernel.org
 *
 * and lei lists the inboxes it searches as externals in
 * $XDG_CONFIG_HOME/lei/config (default ~/.config/lei/config):
 *
 *   [external "/srv/lore/bpf"]
 *
 * Both are git-config files.  Every function returns a new string (the
 * caller frees it), or NULL when the file, the inbox or the key is not
 * there; nothing here is an error.
 */
#ifndef BPFDIGEST_PICONFIG_H
#define BPFDIGEST_PICONFIG_H

/* publicinbox.<name>.inboxdir (or the older .mainrepo). */
char *piconfig_inboxdir(const char *name);
/* The first publicinbox.<name>.address of the inbox whose inboxdir is dir. */
char *piconfig_address(const char *dir);
/* The local lei external whose last path component is name. */
char *piconfig_lei_external(const char *name);

#endif
