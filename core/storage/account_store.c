/* accounts/<netloc><path>/<id>/ (see account_store.h), written in the
 * JSON shape and formatting Python Certbot uses so either can read the
 * other's accounts. */
#define LOG_COMPONENT "certbot._internal.account"

#include "storage/account_store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include "acme/b64.h"
#include "storage/fsutil.h"
#include "util/log.h"
#include "util/strvec.h"

/* JWK members in the order josepy writes them. */
static const struct {
    const char *jwk;
    const char *param;
} rsa_members[] = {
    { "n", OSSL_PKEY_PARAM_RSA_N },
    { "e", OSSL_PKEY_PARAM_RSA_E },
    { "d", OSSL_PKEY_PARAM_RSA_D },
    { "p", OSSL_PKEY_PARAM_RSA_FACTOR1 },
    { "q", OSSL_PKEY_PARAM_RSA_FACTOR2 },
    { "dp", OSSL_PKEY_PARAM_RSA_EXPONENT1 },
    { "dq", OSSL_PKEY_PARAM_RSA_EXPONENT2 },
    { "qi", OSSL_PKEY_PARAM_RSA_COEFFICIENT1 },
};
#define N_RSA_MEMBERS (sizeof(rsa_members) / sizeof(rsa_members[0]))

/* Let's Encrypt's v02 directories reuse accounts made for v01
 * (constants.LE_REUSE_SERVERS). */
static const struct {
    const char *v02, *v01;
} le_reuse[] = {
    { "acme-v02.api.letsencrypt.org/directory",
      "acme-v01.api.letsencrypt.org/directory" },
    { "acme-staging-v02.api.letsencrypt.org/directory",
      "acme-staging.api.letsencrypt.org/directory" },
};

static int os_err(struct cb_err *err, int errnum, const char *path)
{
    return cb_err_set(err, errnum == ENOMEM ? CB_ERR_NOMEM : CB_ERR_IO,
                      "[Errno %d] %s: '%s'", errnum, strerror(errnum), path);
}

static int nomem(struct cb_err *err)
{
    return cb_err_set(err, CB_ERR_NOMEM, "out of memory");
}

static int is_dir(const char *p)
{
    struct stat st;

    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int is_symlink(const char *p)
{
    struct stat st;

    return lstat(p, &st) == 0 && S_ISLNK(st.st_mode);
}

static int dir_is_empty(const char *p)
{
    DIR *d = opendir(p);
    int empty = 1;

    if (!d)
        return 0;
    while (empty) {
        struct dirent *de = readdir(d);
        if (!de)
            break;
        empty = strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0;
    }
    closedir(d);
    return empty;
}

static char *read_link(const char *link)
{
    char buf[PATH_MAX];
    ssize_t n = readlink(link, buf, sizeof(buf) - 1);

    if (n < 0)
        return NULL;
    buf[n] = '\0';
    return strdup(buf);
}

/* ---- paths --------------------------------------------------------------- */

/* urlparse(server).netloc + .path, kept inside accounts/: empty, "." and
 * ".." segments are dropped, ';params' of the last segment too. */
static char *server_path(const char *server)
{
    const char *p = server, *sep = strstr(server, "://");
    struct strvec segs = { 0 };
    char *joined = NULL;
    size_t n;

    if (sep && sep > server &&
        strcspn(server, ":/?#") == (size_t)(sep - server))
        p = sep + 3;
    n = strcspn(p, "?#");
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && p[j] != '/')
            j++;
        if (j > i && !(j - i == 1 && p[i] == '.') &&
            !(j - i == 2 && p[i] == '.' && p[i + 1] == '.') &&
            strvec_pushf(&segs, "%.*s", (int)(j - i), p + i) < 0)
            goto out;
        i = j + 1;
    }
    if (segs.n > 1) {
        char *semi = strchr(segs.v[segs.n - 1], ';');
        if (semi)
            *semi = '\0';
    }
    joined = strvec_join(&segs, "/");
out:
    strvec_clear(&segs);
    return joined;
}

static char *dir_for(const char *config_dir, const char *spath)
{
    char *cfg = fs_abspath(config_dir), *d = NULL;

    if (cfg && asprintf(&d, "%s/accounts/%s", cfg, spath) < 0)
        d = NULL;
    free(cfg);
    return d;
}

char *account_server_dir(const char *config_dir, const char *server)
{
    char *sp = server_path(server), *d = NULL;

    if (sp)
        d = dir_for(config_dir, sp);
    free(sp);
    return d;
}

static const char *le_prev(const char *spath)
{
    for (size_t i = 0; i < sizeof(le_reuse) / sizeof(le_reuse[0]); i++)
        if (strcmp(spath, le_reuse[i].v02) == 0)
            return le_reuse[i].v01;
    return NULL;
}

static const char *le_next(const char *spath)
{
    for (size_t i = 0; i < sizeof(le_reuse) / sizeof(le_reuse[0]); i++)
        if (strcmp(spath, le_reuse[i].v01) == 0)
            return le_reuse[i].v02;
    return NULL;
}

/* ---- keys ---------------------------------------------------------------- */

char *account_id_for_key(EVP_PKEY *key)
{
    BIO *bio = BIO_new(BIO_s_mem());
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    char *pem = NULL, *hex = NULL;
    long len;

    if (!bio || !key || PEM_write_bio_PUBKEY(bio, key) != 1)
        goto out;
    len = BIO_get_mem_data(bio, &pem);
    if (len <= 0 ||
        EVP_Digest(pem, (size_t)len, md, &mdlen, EVP_md5(), NULL) != 1)
        goto out;
    hex = malloc(2 * mdlen + 1);
    if (!hex)
        goto out;
    for (unsigned int i = 0; i < mdlen; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
out:
    BIO_free(bio);
    return hex;
}

char *account_key_to_jwk_json(EVP_PKEY *key)
{
    json_t *o = json_object();
    char *out = NULL;

    if (!o || !key || !EVP_PKEY_is_a(key, "RSA"))
        goto out;
    for (size_t i = 0; i < N_RSA_MEMBERS; i++) {
        BIGNUM *bn = NULL;
        unsigned char *bin = NULL;
        char *b64 = NULL;
        int n, bad;
        if (EVP_PKEY_get_bn_param(key, rsa_members[i].param, &bn) != 1)
            goto out;
        /* minimal big-endian bytes, like josepy */
        n = BN_num_bytes(bn);
        bin = malloc(n > 0 ? (size_t)n : 1);
        if (bin)
            BN_bn2bin(bn, bin);
        b64 = bin ? b64url_encode(bin, (size_t)n) : NULL;
        bad = !b64 || json_object_set_new(o, rsa_members[i].jwk,
                                          json_string(b64)) < 0;
        if (bin) {
            OPENSSL_cleanse(bin, (size_t)n);
            free(bin);
        }
        if (b64) {
            OPENSSL_cleanse(b64, strlen(b64));
            free(b64);
        }
        BN_clear_free(bn);
        if (bad)
            goto out;
    }
    if (json_object_set_new(o, "kty", json_string("RSA")) < 0)
        goto out;
    out = json_dumps(o, JSON_ENSURE_ASCII);
out:
    json_decref(o);
    return out;
}

int account_key_from_jwk_json(const char *json, EVP_PKEY **out,
                              struct cb_err *err)
{
    OSSL_PARAM_BLD *bld = NULL;
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *ctx = NULL;
    BIGNUM *bns[N_RSA_MEMBERS] = { 0 };
    json_t *o = NULL;
    json_error_t jerr;
    const char *kty;
    int r = CB_OK;

    *out = NULL;
    o = json_loads(json, 0, &jerr);
    if (!o || !json_is_object(o)) {
        r = cb_err_set(err, CB_ERR_CONFIG, "invalid account key JSON: %s",
                       o ? "not an object" : jerr.text);
        goto out;
    }
    kty = json_string_value(json_object_get(o, "kty"));
    if (!kty || strcmp(kty, "RSA") != 0) {
        r = cb_err_set(err, CB_ERR_CRYPTO,
                       "account key is not an RSA JWK (kty %s)",
                       kty ? kty : "missing");
        goto out;
    }
    bld = OSSL_PARAM_BLD_new();
    if (!bld) {
        r = nomem(err);
        goto out;
    }
    for (size_t i = 0; i < N_RSA_MEMBERS; i++) {
        const char *v = json_string_value(json_object_get(o,
                                                          rsa_members[i].jwk));
        unsigned char *bin = NULL;
        size_t len = 0;
        if (!v) {
            /* n, e, d are required; the CRT members are optional */
            if (i < 3) {
                r = cb_err_set(err, CB_ERR_CRYPTO,
                               "account key JWK lacks member \"%s\"",
                               rsa_members[i].jwk);
                goto out;
            }
            continue;
        }
        if (b64url_decode(v, &bin, &len) != 0 || len == 0) {
            free(bin);
            r = cb_err_set(err, CB_ERR_CRYPTO,
                           "account key JWK member \"%s\" is not base64url",
                           rsa_members[i].jwk);
            goto out;
        }
        bns[i] = BN_bin2bn(bin, (int)len, NULL);
        OPENSSL_cleanse(bin, len);
        free(bin);
        if (!bns[i] ||
            OSSL_PARAM_BLD_push_BN(bld, rsa_members[i].param, bns[i]) != 1) {
            r = nomem(err);
            goto out;
        }
    }
    params = OSSL_PARAM_BLD_to_param(bld);
    ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) != 1 ||
        EVP_PKEY_fromdata(ctx, out, EVP_PKEY_KEYPAIR, params) != 1) {
        r = cb_err_set(err, CB_ERR_CRYPTO, "cannot load the account key");
        goto out;
    }
out:
    for (size_t i = 0; i < N_RSA_MEMBERS; i++)
        BN_clear_free(bns[i]);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    EVP_PKEY_CTX_free(ctx);
    json_decref(o);
    return r;
}

/* ---- JSON files ---------------------------------------------------------- */

/* Python's json.dumps layout: ", " and ": ", no trailing newline. */
static char *dump(json_t *o)
{
    char *s = o ? json_dumps(o, JSON_ENSURE_ASCII) : NULL;

    json_decref(o);
    return s;
}

static char *regr_json(const char *uri)
{
    json_t *o = json_object();

    if (!o || json_object_set_new(o, "body", json_object()) < 0 ||
        json_object_set_new(o, "uri", json_string(uri ? uri : "")) < 0) {
        json_decref(o);
        return NULL;
    }
    return dump(o);
}

static char *meta_json(const struct account *a)
{
    json_t *o = json_object();

    if (!o ||
        json_object_set_new(o, "creation_dt", json_string(a->creation_dt)) <
            0 ||
        json_object_set_new(o, "creation_host",
                            json_string(a->creation_host)) < 0 ||
        (a->register_to_eff &&
         json_object_set_new(o, "register_to_eff",
                             json_string(a->register_to_eff)) < 0)) {
        json_decref(o);
        return NULL;
    }
    return dump(o);
}

/* socket.getfqdn(): the first dotted name for our address, else the name
 * the resolver gives back, else the plain hostname. */
static char *fqdn(void)
{
    char host[256] = "", name[NI_MAXHOST];
    struct addrinfo hints, *ai = NULL;

    if (gethostname(host, sizeof(host) - 1) < 0)
        return strdup("localhost");
    memset(&hints, 0, sizeof(hints));
    hints.ai_flags = AI_CANONNAME;
    if (getaddrinfo(host, NULL, &hints, &ai) != 0 || !ai)
        return strdup(host);
    if (ai->ai_canonname && strchr(ai->ai_canonname, '.')) {
        char *c = strdup(ai->ai_canonname);
        freeaddrinfo(ai);
        return c;
    }
    if (getnameinfo(ai->ai_addr, ai->ai_addrlen, name, sizeof(name), NULL, 0,
                    NI_NAMEREQD) == 0) {
        freeaddrinfo(ai);
        return strdup(name);
    }
    freeaddrinfo(ai);
    return strdup(host);
}

static char *now_rfc3339(void)
{
    char buf[32];
    time_t t = time(NULL);
    struct tm tm;

    if (!gmtime_r(&t, &tm) ||
        strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        return NULL;
    return strdup(buf);
}

static int read_json(const char *dir, const char *file, json_t **out,
                     struct cb_err *err)
{
    char *path = NULL, *data = NULL;
    json_error_t jerr;
    size_t len;
    int r;

    *out = NULL;
    if (asprintf(&path, "%s/%s", dir, file) < 0)
        return nomem(err);
    r = fs_read_all(path, &data, &len, err);
    if (r < 0)
        goto out;
    *out = json_loadb(data, len, 0, &jerr);
    if (!*out || !json_is_object(*out)) {
        json_decref(*out);
        *out = NULL;
        r = cb_err_set(err, CB_ERR_CONFIG, "%s: invalid JSON: %s", path,
                       jerr.text);
    }
out:
    if (data) {
        OPENSSL_cleanse(data, len);
        free(data);
    }
    free(path);
    return r;
}

static char *dup_member(json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));

    return v ? strdup(v) : NULL;
}

/* ---- accounts ------------------------------------------------------------ */

void account_free(struct account *a)
{
    if (!a)
        return;
    free(a->id);
    free(a->dir);
    free(a->uri);
    free(a->creation_dt);
    free(a->creation_host);
    free(a->register_to_eff);
    EVP_PKEY_free(a->key);
    free(a);
}

void account_list_free(struct account **list, size_t n)
{
    if (!list)
        return;
    for (size_t i = 0; i < n; i++)
        account_free(list[i]);
    free(list);
}

/* Read <dir>/{regr,private_key,meta}.json. */
static int load_dir(const char *dir, struct account **out, struct cb_err *err)
{
    struct account *a = NULL;
    json_t *regr = NULL, *meta = NULL;
    char *keyjson = NULL, *kp = NULL;
    size_t klen = 0;
    int r;

    *out = NULL;
    a = calloc(1, sizeof(*a));
    if (a)
        a->dir = strdup(dir);
    if (!a || !a->dir) {
        r = nomem(err);
        goto out;
    }
    r = read_json(dir, "regr.json", &regr, err);
    if (r < 0)
        goto out;
    if (asprintf(&kp, "%s/private_key.json", dir) < 0) {
        kp = NULL;
        r = nomem(err);
        goto out;
    }
    r = fs_read_all(kp, &keyjson, &klen, err);
    if (r == CB_OK)
        r = account_key_from_jwk_json(keyjson, &a->key, err);
    if (r < 0)
        goto out;
    r = read_json(dir, "meta.json", &meta, err);
    if (r < 0)
        goto out;
    a->uri = dup_member(regr, "uri");
    a->creation_dt = dup_member(meta, "creation_dt");
    a->creation_host = dup_member(meta, "creation_host");
    a->register_to_eff = dup_member(meta, "register_to_eff");
    /* like Certbot, the id comes from the key, not the directory name */
    a->id = account_id_for_key(a->key);
    if (!a->uri || !a->creation_dt || !a->creation_host || !a->id) {
        r = cb_err_set(err, CB_ERR_CONFIG, "incomplete account in %s", dir);
        goto out;
    }
    *out = a;
    a = NULL;
out:
    if (keyjson) {
        OPENSSL_cleanse(keyjson, klen);
        free(keyjson);
    }
    free(kp);
    json_decref(regr);
    json_decref(meta);
    account_free(a);
    return r;
}

static int load_for(const char *config_dir, const char *spath, const char *id,
                    struct account **out, struct cb_err *err)
{
    char *sdir = dir_for(config_dir, spath), *adir = NULL, *pdir = NULL;
    char *psdir = NULL;
    const char *prev = le_prev(spath);
    int r;

    *out = NULL;
    if (!sdir || asprintf(&adir, "%s/%s", sdir, id) < 0) {
        adir = NULL;
        r = nomem(err);
        goto out;
    }
    if (is_dir(adir)) {
        r = load_dir(adir, out, err);
        goto out;
    }
    if (!prev) {
        r = cb_err_set(err, CB_ERR_NOT_FOUND, "Account at %s does not exist",
                       adir);
        goto out;
    }
    r = load_for(config_dir, prev, id, out, err);
    if (r < 0)
        goto out;
    /* found under v01: link it into the v02 tree as Certbot does */
    psdir = dir_for(config_dir, prev);
    if (!psdir || asprintf(&pdir, "%s/%s", psdir, id) < 0) {
        pdir = NULL;
        r = nomem(err);
        goto out;
    }
    if (is_dir(sdir) && !dir_is_empty(sdir)) {
        if (symlink(pdir, adir) < 0)
            log_debug("cannot link %s to %s: %s", adir, pdir,
                      strerror(errno));
    } else {
        if (is_symlink(sdir))
            unlink(sdir);
        else
            rmdir(sdir);
        if (symlink(psdir, sdir) < 0)
            log_debug("cannot link %s to %s: %s", sdir, psdir,
                      strerror(errno));
    }
out:
    free(sdir);
    free(adir);
    free(pdir);
    free(psdir);
    return r;
}

int account_load(const char *config_dir, const char *server, const char *id,
                 struct account **out, struct cb_err *err)
{
    char *sp = server_path(server);
    int r;

    *out = NULL;
    if (!sp)
        return nomem(err);
    if (!*id || strchr(id, '/') || id[0] == '.')
        r = cb_err_set(err, CB_ERR_NOT_FOUND, "Account %s does not exist",
                       id);
    else
        r = load_for(config_dir, sp, id, out, err);
    free(sp);
    return r;
}

static int cmp_account(const void *a, const void *b)
{
    const struct account *x = *(const struct account *const *)a;
    const struct account *y = *(const struct account *const *)b;

    return strcmp(x->id, y->id);
}

static int list_for(const char *config_dir, const char *spath,
                    struct account ***out, size_t *n, struct cb_err *err)
{
    char *sdir = dir_for(config_dir, spath);
    struct account **list = NULL;
    size_t cnt = 0, cap = 0;
    struct dirent *de;
    DIR *d = NULL;
    const char *prev = le_prev(spath);
    int r = CB_OK;

    *out = NULL;
    *n = 0;
    if (!sdir) {
        r = nomem(err);
        goto out;
    }
    d = opendir(sdir);
    while (d) {
        struct account *a = NULL;
        struct cb_err e = { 0 };
        char *adir = NULL;

        de = readdir(d);
        if (!de)
            break;
        /* dot names: ".", "..", and our own half-written temp dirs */
        if (de->d_name[0] == '.')
            continue;
        if (asprintf(&adir, "%s/%s", sdir, de->d_name) < 0) {
            r = nomem(err);
            goto out;
        }
        if (load_dir(adir, &a, &e) < 0) {
            log_debug("Account loading problem: %s", e.msg);
            free(adir);
            continue;
        }
        free(adir);
        if (cnt == cap) {
            size_t nc = cap ? cap * 2 : 4;
            struct account **nl = realloc(list, nc * sizeof(*nl));
            if (!nl) {
                account_free(a);
                r = nomem(err);
                goto out;
            }
            list = nl;
            cap = nc;
        }
        list[cnt++] = a;
    }
    if (cnt == 0 && prev) {
        r = list_for(config_dir, prev, &list, &cnt, err);
        if (r < 0)
            goto out;
        if (cnt > 0) {
            char *psdir = dir_for(config_dir, prev);
            char *parent = strdup(sdir), *slash = parent ? strrchr(parent,
                                                                  '/') : NULL;
            int ok = psdir != NULL && slash != NULL;
            if (ok && is_symlink(sdir))
                ok = unlink(sdir) == 0;
            else if (ok && is_dir(sdir))
                ok = rmdir(sdir) == 0;
            if (ok) {
                /* Certbot made accounts/<v02> at startup; we make its
                 * parent here so the link can be created */
                *slash = '\0';
                ok = fs_mkdirs(parent, 0700, NULL) == CB_OK;
            }
            if (ok)
                ok = symlink(psdir, sdir) == 0;
            free(parent);
            if (!ok)
                log_debug("cannot link %s to the v01 accounts", sdir);
            free(psdir);
        }
    }
    if (cnt > 1)
        qsort(list, cnt, sizeof(*list), cmp_account);
    *out = list;
    *n = cnt;
    list = NULL;
    cnt = 0;
out:
    if (d)
        closedir(d);
    account_list_free(list, cnt);
    free(sdir);
    return r;
}

int account_list(const char *config_dir, const char *server,
                 struct account ***out, size_t *n, struct cb_err *err)
{
    char *sp = server_path(server);
    int r;

    *out = NULL;
    *n = 0;
    if (!sp)
        return nomem(err);
    r = list_for(config_dir, sp, out, n, err);
    free(sp);
    return r;
}

static int write_file(const char *dir, const char *name, const char *text,
                      mode_t mode, int replace, struct cb_err *err)
{
    char *p = NULL;
    int r;

    if (!text)
        return nomem(err);
    if (asprintf(&p, "%s/%s", dir, name) < 0)
        return nomem(err);
    if (replace)
        r = fs_write_atomic(p, text, strlen(text), mode, err);
    else
        r = fs_write_new(p, text, strlen(text), mode, err);
    free(p);
    return r;
}

static void fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

int account_save(const char *config_dir, const char *server, EVP_PKEY *key,
                 const char *uri, const char *register_to_eff,
                 struct account **out, struct cb_err *err)
{
    struct account *a = NULL;
    char *cfg = NULL, *sdir = NULL, *tmp = NULL, *jwk = NULL;
    char *meta = NULL, *regr = NULL;
    int r;

    *out = NULL;
    if (!key || !EVP_PKEY_is_a(key, "RSA") || !uri)
        return cb_err_set(err, CB_ERR_INVAL,
                          "an account needs an RSA key and a URL");
    a = calloc(1, sizeof(*a));
    cfg = fs_abspath(config_dir);
    sdir = account_server_dir(config_dir, server);
    if (!a || !cfg || !sdir) {
        r = nomem(err);
        goto out;
    }
    a->id = account_id_for_key(key);
    a->uri = strdup(uri);
    a->creation_dt = now_rfc3339();
    a->creation_host = fqdn();
    a->register_to_eff = register_to_eff ? strdup(register_to_eff) : NULL;
    if (!a->id || !a->uri || !a->creation_dt || !a->creation_host ||
        (register_to_eff && !a->register_to_eff) ||
        asprintf(&a->dir, "%s/%s", sdir, a->id) < 0) {
        a->dir = NULL;
        r = nomem(err);
        goto out;
    }
    /* the config dir is the caller's (0755); every level below is 0700 */
    r = fs_mkdirs(cfg, 0755, err);
    if (r == CB_OK)
        r = fs_mkdirs(sdir, 0700, err);
    if (r < 0)
        goto out;
    if (access(a->dir, F_OK) == 0 && !dir_is_empty(a->dir)) {
        r = cb_err_set(err, CB_ERR_EXISTS,
                       "[Errno %d] %s: '%s/private_key.json'", EEXIST,
                       strerror(EEXIST), a->dir);
        goto out;
    }
    /* Everything goes into a temp dir that becomes <id> in one rename. */
    if (asprintf(&tmp, "%s/.new-account-XXXXXX", sdir) < 0) {
        tmp = NULL;
        r = nomem(err);
        goto out;
    }
    if (!mkdtemp(tmp)) {
        r = os_err(err, errno, tmp);
        free(tmp);
        tmp = NULL;
        goto out;
    }
    if (chmod(tmp, 0700) < 0) {
        r = os_err(err, errno, tmp);
        goto out;
    }
    jwk = account_key_to_jwk_json(key);
    meta = meta_json(a);
    regr = regr_json(uri);
    r = write_file(tmp, "private_key.json", jwk, 0400, 0, err);
    if (r == CB_OK)
        r = write_file(tmp, "meta.json", meta, 0644, 0, err);
    if (r == CB_OK)
        r = write_file(tmp, "regr.json", regr, 0644, 0, err);
    if (r < 0)
        goto out;
    fsync_dir(tmp);
    if (rename(tmp, a->dir) < 0) {
        r = os_err(err, errno, a->dir);
        goto out;
    }
    free(tmp);
    tmp = NULL;
    fsync_dir(sdir);
    if (EVP_PKEY_up_ref(key) != 1) {
        r = nomem(err);
        goto out;
    }
    a->key = key;
    *out = a;
    a = NULL;
out:
    if (tmp) {
        struct cb_err ignore = { 0 };
        fs_rmtree(tmp, &ignore);
    }
    if (jwk) {
        OPENSSL_cleanse(jwk, strlen(jwk));
        free(jwk);
    }
    free(meta);
    free(regr);
    free(tmp);
    free(cfg);
    free(sdir);
    account_free(a);
    return r;
}

int account_update(const struct account *a, struct cb_err *err)
{
    char *meta = NULL, *regr = NULL;
    int r;

    if (!a || !a->dir)
        return cb_err_set(err, CB_ERR_INVAL, "no account to update");
    meta = meta_json(a);
    regr = regr_json(a->uri);
    r = write_file(a->dir, "meta.json", meta, 0644, 1, err);
    if (r == CB_OK)
        r = write_file(a->dir, "regr.json", regr, 0644, 1, err);
    free(meta);
    free(regr);
    return r;
}

/* Certbot's _delete_links_and_find_target_dir: start from the v02 path
 * if it is a link to ours, unlink the chain of links, return the real
 * directory (caller frees). */
/* "<dir>/<id>", or dir itself when id is NULL (caller frees). */
static char *join_id(const char *dir, const char *id)
{
    char *p = NULL;

    if (!id)
        return strdup(dir);
    if (asprintf(&p, "%s/%s", dir, id) < 0)
        return NULL;
    return p;
}

/* Certbot's _delete_links_and_find_target_dir: start from the v02 path
 * if it is a link to ours, unlink the chain of links, return the real
 * directory (caller frees). */
static char *unlink_chain(const char *config_dir, const char *spath,
                          const char *id)
{
    const char *next = le_next(spath);
    char *sdir = dir_for(config_dir, spath), *path = NULL;
    char *up_sdir = NULL, *up = NULL, *text = NULL;

    if (sdir)
        path = join_id(sdir, id);
    free(sdir);
    if (!path)
        return NULL;
    if (next)
        up_sdir = dir_for(config_dir, next);
    if (up_sdir)
        up = join_id(up_sdir, id);
    if (up)
        text = read_link(up);
    if (text && strcmp(text, path) == 0) {
        free(path);
        path = up;
        up = NULL;
    }
    free(up_sdir);
    free(up);
    free(text);
    while (path && is_symlink(path)) {
        char *t = read_link(path);
        unlink(path);
        free(path);
        path = t;
    }
    return path;
}

int account_delete(const char *config_dir, const char *server,
                   const char *id, struct cb_err *err)
{
    char *sp = server_path(server), *sdir = NULL, *adir = NULL;
    char *real = NULL;
    int r = CB_OK;

    if (sp)
        sdir = dir_for(config_dir, sp);
    if (sdir)
        adir = join_id(sdir, id);
    if (!adir) {
        r = nomem(err);
        goto out;
    }
    if (!*id || strchr(id, '/') || id[0] == '.' || !is_dir(adir)) {
        r = cb_err_set(err, CB_ERR_NOT_FOUND, "Account at %s does not exist",
                       adir);
        goto out;
    }
    real = unlink_chain(config_dir, sp, id);
    if (!real) {
        r = nomem(err);
        goto out;
    }
    r = fs_rmtree(real, err);
    if (r < 0)
        goto out;
    /* the server dir goes when empty; accounts/<netloc> stays (SPEC 3.4) */
    if (is_dir(sdir) && dir_is_empty(sdir)) {
        free(real);
        real = unlink_chain(config_dir, sp, NULL);
        if (real && rmdir(real) < 0)
            log_debug("cannot remove %s: %s", real, strerror(errno));
    }
out:
    free(sp);
    free(sdir);
    free(adir);
    free(real);
    return r;
}
