// A CPU stand-in for libcudart and libcublas, so the FFM bindings can be tested without a GPU.
// Compiled twice at test time: -DFAKE_CUDART -> libcudart.so.12, -DFAKE_CUBLAS -> libcublas.so.12,
// each exporting only its own library's symbols. fake_* functions are test hooks.
#include <stdlib.h>
#include <string.h>

#ifdef FAKE_CUDART
enum { cudaSuccess = 0, cudaErrorInvalidValue = 1, cudaErrorMemoryAllocation = 2, cudaErrorNoDevice = 100 };

static int fail_next_malloc = 0;
static int device_count = 1;
static long mallocs = 0, live = 0;

void fake_fail_next_malloc(void) { fail_next_malloc = 1; }
void fake_set_device_count(int n) { device_count = n; }
long fake_malloc_count(void) { return mallocs; }
long fake_live_count(void) { return live; }

const char *cudaGetErrorName(int e) {
    switch (e) {
        case cudaSuccess: return "cudaSuccess";
        case cudaErrorInvalidValue: return "cudaErrorInvalidValue";
        case cudaErrorMemoryAllocation: return "cudaErrorMemoryAllocation";
        case cudaErrorNoDevice: return "cudaErrorNoDevice";
        default: return "cudaErrorUnknown";
    }
}

const char *cudaGetErrorString(int e) {
    switch (e) {
        case cudaSuccess: return "no error";
        case cudaErrorInvalidValue: return "invalid argument";
        case cudaErrorMemoryAllocation: return "out of memory";
        case cudaErrorNoDevice: return "no CUDA-capable device is detected";
        default: return "unknown error";
    }
}

int cudaGetDeviceCount(int *n) {
    if (device_count == 0) { *n = 0; return cudaErrorNoDevice; }
    *n = device_count;
    return cudaSuccess;
}

// Only name[256] at offset 0 is filled; the real struct is about 1 KB.
int cudaGetDeviceProperties_v2(void *prop, int dev) {
    if (dev < 0 || dev >= device_count) return cudaErrorInvalidValue;
    strcpy((char *) prop, "Fake CUDA Device (CPU)");
    return cudaSuccess;
}

int cudaDeviceGetAttribute(int *value, int attr, int dev) {
    if (dev < 0 || dev >= device_count) return cudaErrorInvalidValue;
    if (attr == 75) { *value = 9; return cudaSuccess; }   // compute capability major
    if (attr == 76) { *value = 0; return cudaSuccess; }   // minor
    return cudaErrorInvalidValue;
}

int cudaMemGetInfo(size_t *free_bytes, size_t *total) {
    *total = (size_t) 8 << 30;
    *free_bytes = (size_t) 7 << 30;
    return cudaSuccess;
}

int cudaRuntimeGetVersion(int *v) { *v = 12080; return cudaSuccess; }
int cudaDriverGetVersion(int *v) { *v = 12090; return cudaSuccess; }

int cudaMalloc(void **p, size_t bytes) {
    if (fail_next_malloc) { fail_next_malloc = 0; return cudaErrorMemoryAllocation; }
    *p = malloc(bytes ? bytes : 1);
    if (!*p) return cudaErrorMemoryAllocation;
    mallocs++; live++;
    return cudaSuccess;
}

int cudaFree(void *p) {
    if (p) { free(p); live--; }
    return cudaSuccess;
}

int cudaMallocHost(void **p, size_t bytes) {
    *p = malloc(bytes ? bytes : 1);
    if (!*p) return cudaErrorMemoryAllocation;
    live++;
    return cudaSuccess;
}

int cudaFreeHost(void *p) {
    if (p) { free(p); live--; }
    return cudaSuccess;
}

int cudaMemcpy(void *dst, const void *src, size_t bytes, int kind) {
    if (kind < 0 || kind > 4 || (bytes && (!dst || !src))) return cudaErrorInvalidValue;
    memcpy(dst, src, bytes);
    return cudaSuccess;
}

int cudaDeviceSynchronize(void) { return cudaSuccess; }
#endif

#ifdef FAKE_CUBLAS
enum { OK = 0, NOT_INITIALIZED = 1, INVALID_VALUE = 7 };

typedef struct { int math_mode; void *stream; } handle_t;

static int next_status = 0;
static long handles = 0;
static int last_math_mode = -1;

void fake_sgemm_status_next(int status) { next_status = status; }
long fake_handle_count(void) { return handles; }
int fake_last_math_mode(void) { return last_math_mode; }

int cublasCreate_v2(handle_t **h) {
    *h = calloc(1, sizeof(handle_t));
    handles++;
    return OK;
}

int cublasDestroy_v2(handle_t *h) {
    if (!h) return NOT_INITIALIZED;
    free(h);
    handles--;
    return OK;
}

int cublasSetStream_v2(handle_t *h, void *stream) {
    if (!h) return NOT_INITIALIZED;
    h->stream = stream;
    return OK;
}

int cublasSetMathMode(handle_t *h, int mode) {
    if (!h) return NOT_INITIALIZED;
    h->math_mode = last_math_mode = mode;
    return OK;
}

int cublasGetVersion_v2(handle_t *h, int *v) {
    if (!h) return NOT_INITIALIZED;
    *v = 120802;
    return OK;
}

static int max1(int x) { return x > 1 ? x : 1; }

// Column-major C (m,n) = alpha·op(A)·op(B) + beta·C; op(A) is (m,k), op(B) is (k,n).
// Checks the arguments as cuBLAS documents them; beta == 0 means C is not read.
int cublasSgemm_v2(handle_t *h, int transa, int transb, int m, int n, int k,
                   const float *alpha, const float *A, int lda, const float *B, int ldb,
                   const float *beta, float *C, int ldc) {
    if (!h) return NOT_INITIALIZED;
    if (next_status) { int s = next_status; next_status = 0; return s; }
    if (transa < 0 || transa > 2 || transb < 0 || transb > 2 || m < 0 || n < 0 || k < 0) return INVALID_VALUE;
    if (lda < max1(transa ? k : m) || ldb < max1(transb ? n : k) || ldc < max1(m)) return INVALID_VALUE;
    for (int j = 0; j < n; j++) {
        for (int i = 0; i < m; i++) {
            float s = 0;
            for (int p = 0; p < k; p++) {
                float a = transa ? A[p + (size_t) i * lda] : A[i + (size_t) p * lda];
                float b = transb ? B[j + (size_t) p * ldb] : B[p + (size_t) j * ldb];
                s += a * b;
            }
            float *c = &C[i + (size_t) j * ldc];
            *c = *beta == 0 ? *alpha * s : *alpha * s + *beta * *c;
        }
    }
    return OK;
}
#endif
