/* OCSP revocation checks (Certbot's ocsp.RevocationChecker): used by
 * `certificates` ("INVALID: REVOKED") and by renew, which renews a revoked
 * certificate whatever its expiry (SPEC 4.10, 4.4; ).
 *
 * Nothing is returned for the caller to free. */
#ifndef CB_CRYPTO_OCSP_H
#define CB_CRYPTO_OCSP_H

/* How long one OCSP request may take (Certbot: 10 s). */
#define OCSP_TIMEOUT_MS 10000L

/* 1 when the responder named in the certificate's Authority Information
 * Access says the certificate at cert_path (issued by the first
 * certificate in chain_path) is revoked, in a response signed by that
 * issuer or a responder it delegated to.  0 otherwise: good, unknown, no
 * responder URL, or any failure (logged), since a lookup that could not be
 * made must never stop a command.  user_agent may be NULL. */
int ocsp_revoked(const char *cert_path, const char *chain_path,
                 const char *user_agent);

#endif
