/*
 * x87 transcendental instructions: FSIN, FCOS, FSINCOS, FPTAN, FPATAN,
 * F2XM1, FYL2X, FYL2XP1, and the FLDPI-style constants.
 *
 * Results are computed in a private floating format with a 128-bit
 * significand ("XF"), whose operations truncate and jam the lost bits
 * into the last bit so that the single final rounding to 64 bits sees
 * a correct sticky bit.  Polynomial and table errors stay around
 * 2^-120 relative, so the results are correctly rounded except when the
 * exact value lies within about 2^-56 ulp of a rounding boundary.  Real
 * CPUs are not correctly rounded (SDM vol. 1 8.3.10 promises < 1 ulp):
 * on the AMD EPYC we measured, 96.5-99.5 % of their results are the
 * correctly rounded value, the others are off by one ulp, within about
 * 0.05 ulp of a midpoint; no simple model (constants, double rounding)
 * explains which, so those cannot be reproduced bit for bit.
 *
 * FSIN/FCOS/FSINCOS/FPTAN reduce their argument modulo pi/2 with the
 * 66-bit pi that x87 hardware uses (SDM vol. 1 8.3.10: "the value of pi
 * used ... is a 66-bit approximation"): the reduction is exact with that
 * value, so large arguments give the same results as hardware.
 *
 * The constant tables were produced with mpmath at 400 bits: each entry
 * is the value rounded to nearest as m * 2^(e - 127), m a 128-bit
 * integer with bit 127 set, plus a sign.
 */
#include "qemu/osdep.h"
#include "softfloat-internal.h"

typedef struct XF {
    u128 m;    /* bit 127 set, or 0 for zero */
    int32_t e; /* value = m * 2^(e - 127) */
    bool s;
} XF;

typedef struct XFConst {
    uint64_t hi, lo;
    int32_t e;
    uint8_t s;
} XFConst;

/* scalar constants */
static const XFConst XC_PI = { 0xC90FDAA22168C234ULL, 0xC4C6628B80DC1CD1ULL, 1,
                               0 };
static const XFConst XC_PI_2 = { 0xC90FDAA22168C234ULL, 0xC4C6628B80DC1CD1ULL,
                                 0, 0 };
static const XFConst XC_PI_4 = { 0xC90FDAA22168C234ULL, 0xC4C6628B80DC1CD1ULL,
                                 -1, 0 };
static const XFConst XC_3PI_4 = { 0x96CBE3F9990E91A7ULL, 0x9394C9E8A0A5159DULL,
                                  1, 0 };
static const XFConst XC_LN2 = { 0xB17217F7D1CF79ABULL, 0xC9E3B39803F2F6AFULL,
                                -1, 0 };
static const XFConst XC_LOG2E = { 0xB8AA3B295C17F0BBULL, 0xBE87FED0691D3E89ULL,
                                  0, 0 };
static const XFConst XC_L2T = { 0xD49A784BCD1B8AFEULL, 0x492BF6FF4DAFDB4DULL, 1,
                                0 };
static const XFConst XC_LG2 = { 0x9A209A84FBCFF798ULL, 0x8F8959AC0B7C9178ULL,
                                -2, 0 };

/* sin(t) = t * sum sin_coef[k] t^2k: (-1)^k / (2k+1)! */
static const XFConst sin_coef[16] = {
    { 0x8000000000000000ULL, 0x0000000000000000ULL, 0, 0 },
    { 0xAAAAAAAAAAAAAAAAULL, 0xAAAAAAAAAAAAAAABULL, -3, 1 },
    { 0x8888888888888888ULL, 0x8888888888888889ULL, -7, 0 },
    { 0xD00D00D00D00D00DULL, 0x00D00D00D00D00D0ULL, -13, 1 },
    { 0xB8EF1D2AB6399C7DULL, 0x560E4472800B8EF2ULL, -19, 0 },
    { 0xD7322B3FAA271C7FULL, 0x3A3F25C1BEE38F10ULL, -26, 1 },
    { 0xB092309D43684BE5ULL, 0x1C198E91D7B4269EULL, -33, 0 },
    { 0xD73F9F399DC0F88EULL, 0xC32B58774657F48FULL, -41, 1 },
    { 0xCA963B81856A5359ULL, 0x3028CBBB8D7FF53CULL, -49, 0 },
    { 0x97A4DA340A0AB926ULL, 0x50F61DBDCB3A5ABFULL, -57, 1 },
    { 0xB8DC77B6E7AB8C5FULL, 0x78A37E77372290C2ULL, -66, 0 },
    { 0xBB0DA098B1C0CECBULL, 0xDC3826EBFB13CC27ULL, -75, 1 },
    { 0x9F9E66E8B2FD46A7ULL, 0x22520CBBB7885C4AULL, -84, 0 },
    { 0xE8D58E16E6751905ULL, 0x4D0C78AEA13B9A50ULL, -94, 1 },
    { 0x92CFCC5A1AC56BD5ULL, 0xF1873BB378948EB3ULL, -103, 0 },
    { 0xA1A6973C1FADE217ULL, 0x0F7237D35FE1C89EULL, -113, 1 },
};

/* cos(t) = sum cos_coef[k] t^2k: (-1)^k / (2k)! */
static const XFConst cos_coef[16] = {
    { 0x8000000000000000ULL, 0x0000000000000000ULL, 0, 0 },
    { 0x8000000000000000ULL, 0x0000000000000000ULL, -1, 1 },
    { 0xAAAAAAAAAAAAAAAAULL, 0xAAAAAAAAAAAAAAABULL, -5, 0 },
    { 0xB60B60B60B60B60BULL, 0x60B60B60B60B60B6ULL, -10, 1 },
    { 0xD00D00D00D00D00DULL, 0x00D00D00D00D00D0ULL, -16, 0 },
    { 0x93F27DBBC4FAE397ULL, 0x780B69F5333C725BULL, -22, 1 },
    { 0x8F76C77FC6C4BDAAULL, 0x26D4C3D67F425F60ULL, -29, 0 },
    { 0xC9CBA54603E4E905ULL, 0xD6F8A2EFD1F27546ULL, -37, 1 },
    { 0xD73F9F399DC0F88EULL, 0xC32B58774657F48FULL, -45, 0 },
    { 0xB413C31DCBECBBDDULL, 0x8024435161554BC3ULL, -53, 1 },
    { 0xF2A15D201011283DULL, 0x4E5695FC785D5DFFULL, -62, 0 },
    { 0x8671CB6DBFC294A2ULL, 0x86485BF99C763ABCULL, -70, 1 },
    { 0xF96780CB97ABBE65ULL, 0x25A033E54EC51034ULL, -80, 0 },
    { 0xC4742FE35272CD1CULL, 0x790285D3580A4A34ULL, -89, 1 },
    { 0x850C5131A842E9B9ULL, 0xE2E28E1AA546A152ULL, -98, 0 },
    { 0x9C9962823EB07306ULL, 0x56F6A614C4E2BA59ULL, -108, 1 },
};

/* atan(r) = r * sum atan_coef[k] r^2k: (-1)^k / (2k+1) */
static const XFConst atan_coef[14] = {
    { 0x8000000000000000ULL, 0x0000000000000000ULL, 0, 0 },
    { 0xAAAAAAAAAAAAAAAAULL, 0xAAAAAAAAAAAAAAABULL, -2, 1 },
    { 0xCCCCCCCCCCCCCCCCULL, 0xCCCCCCCCCCCCCCCDULL, -3, 0 },
    { 0x9249249249249249ULL, 0x2492492492492492ULL, -3, 1 },
    { 0xE38E38E38E38E38EULL, 0x38E38E38E38E38E4ULL, -4, 0 },
    { 0xBA2E8BA2E8BA2E8BULL, 0xA2E8BA2E8BA2E8BAULL, -4, 1 },
    { 0x9D89D89D89D89D89ULL, 0xD89D89D89D89D89EULL, -4, 0 },
    { 0x8888888888888888ULL, 0x8888888888888889ULL, -4, 1 },
    { 0xF0F0F0F0F0F0F0F0ULL, 0xF0F0F0F0F0F0F0F1ULL, -5, 0 },
    { 0xD79435E50D79435EULL, 0x50D79435E50D7943ULL, -5, 1 },
    { 0xC30C30C30C30C30CULL, 0x30C30C30C30C30C3ULL, -5, 0 },
    { 0xB21642C8590B2164ULL, 0x2C8590B21642C859ULL, -5, 1 },
    { 0xA3D70A3D70A3D70AULL, 0x3D70A3D70A3D70A4ULL, -5, 0 },
    { 0x97B425ED097B425EULL, 0xD097B425ED097B42ULL, -5, 1 },
};

/* ln((1+s)/(1-s)) = s * sum atanh_coef[k] s^2k: 2 / (2k+1) */
static const XFConst atanh_coef[11] = {
    { 0x8000000000000000ULL, 0x0000000000000000ULL, 1, 0 },
    { 0xAAAAAAAAAAAAAAAAULL, 0xAAAAAAAAAAAAAAABULL, -1, 0 },
    { 0xCCCCCCCCCCCCCCCCULL, 0xCCCCCCCCCCCCCCCDULL, -2, 0 },
    { 0x9249249249249249ULL, 0x2492492492492492ULL, -2, 0 },
    { 0xE38E38E38E38E38EULL, 0x38E38E38E38E38E4ULL, -3, 0 },
    { 0xBA2E8BA2E8BA2E8BULL, 0xA2E8BA2E8BA2E8BAULL, -3, 0 },
    { 0x9D89D89D89D89D89ULL, 0xD89D89D89D89D89EULL, -3, 0 },
    { 0x8888888888888888ULL, 0x8888888888888889ULL, -3, 0 },
    { 0xF0F0F0F0F0F0F0F0ULL, 0xF0F0F0F0F0F0F0F1ULL, -4, 0 },
    { 0xD79435E50D79435EULL, 0x50D79435E50D7943ULL, -4, 0 },
    { 0xC30C30C30C30C30CULL, 0x30C30C30C30C30C3ULL, -4, 0 },
};

/* expm1(u) = u * sum expm1_coef[k] u^k: 1 / (k+1)! */
static const XFConst expm1_coef[16] = {
    { 0x8000000000000000ULL, 0x0000000000000000ULL, 0, 0 },
    { 0x8000000000000000ULL, 0x0000000000000000ULL, -1, 0 },
    { 0xAAAAAAAAAAAAAAAAULL, 0xAAAAAAAAAAAAAAABULL, -3, 0 },
    { 0xAAAAAAAAAAAAAAAAULL, 0xAAAAAAAAAAAAAAABULL, -5, 0 },
    { 0x8888888888888888ULL, 0x8888888888888889ULL, -7, 0 },
    { 0xB60B60B60B60B60BULL, 0x60B60B60B60B60B6ULL, -10, 0 },
    { 0xD00D00D00D00D00DULL, 0x00D00D00D00D00D0ULL, -13, 0 },
    { 0xD00D00D00D00D00DULL, 0x00D00D00D00D00D0ULL, -16, 0 },
    { 0xB8EF1D2AB6399C7DULL, 0x560E4472800B8EF2ULL, -19, 0 },
    { 0x93F27DBBC4FAE397ULL, 0x780B69F5333C725BULL, -22, 0 },
    { 0xD7322B3FAA271C7FULL, 0x3A3F25C1BEE38F10ULL, -26, 0 },
    { 0x8F76C77FC6C4BDAAULL, 0x26D4C3D67F425F60ULL, -29, 0 },
    { 0xB092309D43684BE5ULL, 0x1C198E91D7B4269EULL, -33, 0 },
    { 0xC9CBA54603E4E905ULL, 0xD6F8A2EFD1F27546ULL, -37, 0 },
    { 0xD73F9F399DC0F88EULL, 0xC32B58774657F48FULL, -41, 0 },
    { 0xD73F9F399DC0F88EULL, 0xC32B58774657F48FULL, -45, 0 },
};

/* tan(t) = t * sum tan_coef[k] t^2k for |t| < 2^-32: 1, 1/3, 2/15 */
static const XFConst tan_coef[3] = {
    { 0x8000000000000000ULL, 0x0000000000000000ULL, 0, 0 },
    { 0xAAAAAAAAAAAAAAAAULL, 0xAAAAAAAAAAAAAAABULL, -2, 0 },
    { 0x8888888888888888ULL, 0x8888888888888889ULL, -3, 0 },
};

/* cot(t) = 1/t - t * sum cot_coef[k] t^2k for |t| < 2^-32: 1/3, 1/45 */
static const XFConst cot_coef[2] = {
    { 0xAAAAAAAAAAAAAAAAULL, 0xAAAAAAAAAAAAAAABULL, -2, 0 },
    { 0xB60B60B60B60B60BULL, 0x60B60B60B60B60B6ULL, -6, 0 },
};

/* atan(j/16), j = 0..16 */
static const XFConst atan_tab[17] = {
    { 0, 0, 0, 0 },
    { 0xFFAADDB967EF4E36ULL, 0xCB2792DC0E2E0D51ULL, -5, 0 },
    { 0xFEADD4D5617B6E32ULL, 0xC897989F3E888EF8ULL, -4, 0 },
    { 0xBDCBDA5E72D81134ULL, 0x7B0B4F881C9C7488ULL, -3, 0 },
    { 0xFADBAFC96406EB15ULL, 0x6DC79EF5F7A217E6ULL, -3, 0 },
    { 0x9B13B9B83F5E5E69ULL, 0xC5ABB498D27AF328ULL, -2, 0 },
    { 0xB7B0CA0F26F78473ULL, 0x8AA32122DCFE4483ULL, -2, 0 },
    { 0xD327761E611FE5B6ULL, 0x427C95E9001E7136ULL, -2, 0 },
    { 0xED63382B0DDA7B45ULL, 0x6FE445ECBC3A8D03ULL, -2, 0 },
    { 0x832BF4A6D9867E2AULL, 0x4B6A09CB61A515C1ULL, -1, 0 },
    { 0x8F005D5EF7F59F9BULL, 0x5C835E1665C43748ULL, -1, 0 },
    { 0x9A2F80E671BDDA20ULL, 0x4226F8E2204FF3BDULL, -1, 0 },
    { 0xA4BC7D1934F70924ULL, 0x19A87F2A457DAC9FULL, -1, 0 },
    { 0xAEAC4C38B4D8C080ULL, 0x14725E2F3E52070AULL, -1, 0 },
    { 0xB8053E2BC2319E73ULL, 0xCB2DA55210A4443DULL, -1, 0 },
    { 0xC0CE85B8AC526640ULL, 0x89DD62C46E92FA25ULL, -1, 0 },
    { 0xC90FDAA22168C234ULL, 0xC4C6628B80DC1CD1ULL, -1, 0 },
};

/* ln(j/32), j = 22..46 */
static const XFConst ln_tab[25] = {
    { 0xBFD7D1DEC0A8DF6FULL, 0x37EDA996244BCCB0ULL, -2, 1 },
    { 0xA9157039C51EBE70ULL, 0x8164C759686A2209ULL, -2, 1 },
    { 0x934B1089A6DC93C1ULL, 0xDF5BB3B60554E152ULL, -2, 1 },
    { 0xFCC8E3659D9BCBECULL, 0xCA0CDF301431B60FULL, -3, 1 },
    { 0xD49F69E456CF1B79ULL, 0x5F53BD2E406E66E7ULL, -3, 1 },
    { 0xADFA035AA1ED8FDCULL, 0x149767E410316D2CULL, -3, 1 },
    { 0x88BC74113F23DEF1ULL, 0x9C5A0FE396F40F1EULL, -3, 1 },
    { 0xC99AF2EACA4C4570ULL, 0xEAF51F66692844BAULL, -4, 1 },
    { 0x842CC5ACF1D03445ULL, 0x1FECDFA819B96098ULL, -4, 1 },
    { 0x820AEC4F3A222380ULL, 0xB9E3AEA6C444EF07ULL, -5, 1 },
    { 0, 0, 0, 0 },
    { 0xFC14D873C1980267ULL, 0xC7E09E3DE453F5D6ULL, -6, 0 },
    { 0xF85186008B15330BULL, 0xE64B8B775997898DULL, -5, 0 },
    { 0xB78694572B5A5CDFULL, 0x24CDCF68CDB20673ULL, -4, 0 },
    { 0xF1383B7157972F4FULL, 0x543FFF0FF4F0AAEEULL, -4, 0 },
    { 0x94AA97C0FFA91A60ULL, 0x2EE3880FB7D34428ULL, -3, 0 },
    { 0xAFF983853C9E9E43ULL, 0x9F105039091DD7F3ULL, -3, 0 },
    { 0xCA92D4E7A2B5A3B2ULL, 0x0983A9C5C4B3B133ULL, -3, 0 },
    { 0xE47FBE3CD4D10D61ULL, 0x2EC0F797FDCD1257ULL, -3, 0 },
    { 0xFDC8C36AF1F1546AULL, 0xAA3361BCA6965049ULL, -3, 0 },
    { 0x8B3AE55D5D30701CULL, 0xE63EAB883717047EULL, -2, 0 },
    { 0x974715D708E984E1ULL, 0x6648D42840D9E6F7ULL, -2, 0 },
    { 0xA30C5E10E2F613E8ULL, 0x5BD9BD99E39A20AFULL, -2, 0 },
    { 0xAE8DEDFAC04E5284ULL, 0x6C707B8FFC22B3E7ULL, -2, 0 },
    { 0xB9CEBFB5DE8034E7ULL, 0x12629FD69F7BCB56ULL, -2, 0 },
};

/* 2^(j/32) - 1, j = -16..16 */
static const XFConst exp2m1_tab[33] = {
    { 0x95F619980C4336F7ULL, 0x4D04EC99156A82C2ULL, -2, 1 },
    { 0x8E08A1713A08C22DULL, 0xC8F0D10F532934BDULL, -2, 1 },
    { 0x85EEB8C14FE79282ULL, 0xAEFDC09325E0A10CULL, -2, 1 },
    { 0xFB4ECCD6663DAEA6ULL, 0x0EEA0A996BFDE12AULL, -3, 1 },
    { 0xEA6357BAABE4948BULL, 0x0754BCDA6C898322ULL, -3, 1 },
    { 0xD91909E647436175ULL, 0xFC781B57EBBA5A07ULL, -3, 1 },
    { 0xC76DCFAB81EDFC70ULL, 0x7729F1C1A834E44AULL, -3, 1 },
    { 0xB55F89B83B546E97ULL, 0xB76DC6A0F086FF5FULL, -3, 1 },
    { 0xA2EC0CD4A58A542FULL, 0x1965D119BF4B0088ULL, -3, 1 },
    { 0x901121A0943722ABULL, 0x09EFCA958759566FULL, -3, 1 },
    { 0xF999089EAB58F777ULL, 0xCD3B57DB916661AFULL, -4, 1 },
    { 0xD237C8C41BE5BABFULL, 0x0D0B85AD8922789BULL, -4, 1 },
    { 0xA9F9C8C116DE3689ULL, 0x7E9452647C8D582AULL, -4, 1 },
    { 0x80DA3321192851A5ULL, 0xCD4F184B5B923769ULL, -4, 1 },
    { 0xADA82EADB7933D38ULL, 0x462F3851267F03C9ULL, -5, 1 },
    { 0xAF89A491BABF98B0ULL, 0x7B489D79D4500670ULL, -6, 1 },
    { 0, 0, 0, 0 },
    { 0xB361A62B0AE875CFULL, 0x8A91D6D19482FFCAULL, -6, 0 },
    { 0xB5586CF9890F6298ULL, 0xB92B71842A983643ULL, -5, 0 },
    { 0x8980E8092DA85275ULL, 0xDF8D76C98C67562EULL, -4, 0 },
    { 0xB95C1E3EA8BD6E6FULL, 0xBE4628758A53C902ULL, -4, 0 },
    { 0xEA4398B45CD53C02ULL, 0xDC0144C8783D4C5AULL, -4, 0 },
    { 0x8E1E9B9D588E19B0ULL, 0x7EB6C70572D64EC1ULL, -3, 0 },
    { 0xA7A77D47F7B84B09ULL, 0x7457D6892A8EF2A2ULL, -3, 0 },
    { 0xC1BF828C6DC54B7AULL, 0x356918C17217B7B3ULL, -3, 0 },
    { 0xDC69CDCEAA72A9C5ULL, 0x1540BD151E61F8F8ULL, -3, 0 },
    { 0xF7A993048D088D6DULL, 0x0488F84F5DCFEE8BULL, -3, 0 },
    { 0x89C10C0C3125A062ULL, 0x6DE813BE033F7A9EULL, -2, 0 },
    { 0x97FB5AA6C544E3A8ULL, 0x72F5FD885C41C06CULL, -2, 0 },
    { 0xA6856AD3A9F03BE1ULL, 0x507893B0D4C7E9CDULL, -2, 0 },
    { 0xB560FBA90A852B19ULL, 0x2602A323D668BB12ULL, -2, 0 },
    { 0xC48FD6074AB0963EULL, 0x1F40DFA5B485763AULL, -2, 0 },
    { 0xD413CCCFE7799211ULL, 0x65F626CDD52AFA7CULL, -2, 0 },
};

/*
 * XF arithmetic.
 */

static inline XF xfc(const XFConst *c)
{
    XF r = { ((u128)c->hi << 64) | c->lo, c->e, c->s };
    return r;
}

static inline XF xf_zero(bool s)
{
    XF r = { 0, 0, s };
    return r;
}

static inline XF xf_neg(XF a)
{
    a.s = !a.s;
    return a;
}

static inline XF xf_ldexp(XF a, int32_t n)
{
    a.e += n;
    return a;
}

static inline XF xf_from_parts(const FloatParts *p)
{
    XF r = { (u128)p->sig << 64, p->exp, p->sign };
    return p->cls == FC_ZERO ? xf_zero(p->sign) : r;
}

static inline XF xf_from_int(int64_t v)
{
    uint64_t m = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    XF r = { 0, 0, v < 0 };
    int lz;

    if (m) {
        lz = clz64(m);
        r.m = (u128)(m << lz) << 64;
        r.e = 63 - lz;
    }
    return r;
}

static XF xf_add(XF a, XF b)
{
    int32_t d;
    u128 B, S;
    int lz;

    if (!b.m) {
        return a.m ? a : xf_zero(a.s && b.s);
    }
    if (!a.m) {
        return b;
    }
    if (a.e < b.e || (a.e == b.e && a.m < b.m)) {
        XF t = a;
        a = b;
        b = t;
    }
    d = a.e - b.e;
    B = shr_jam128(b.m, d > 200 ? 200 : d);
    if (a.s == b.s) {
        S = a.m + B;
        if (S < a.m) { /* carry out of bit 127 */
            S = (S >> 1) | (S & 1) | ((u128)1 << 127);
            a.e++;
        }
        a.m = S;
        return a;
    }
    S = a.m - B;
    if (!S) {
        return xf_zero(false);
    }
    lz = clz128(S);
    a.m = S << lz;
    a.e -= lz;
    return a;
}

static inline XF xf_sub(XF a, XF b)
{
    return xf_add(a, xf_neg(b));
}

static XF xf_mul(XF a, XF b)
{
    uint64_t a1 = (uint64_t)(a.m >> 64), a0 = (uint64_t)a.m;
    uint64_t b1 = (uint64_t)(b.m >> 64), b0 = (uint64_t)b.m;
    u128 p00, mid, mid2, hi;
    XF r = { 0, a.e + b.e, a.s ^ b.s };

    if (!a.m || !b.m) {
        return xf_zero(r.s);
    }
    p00 = (u128)a0 * b0;
    mid = (u128)a1 * b0 + (uint64_t)(p00 >> 64);
    mid2 = (u128)a0 * b1 + (uint64_t)mid;
    hi = (u128)a1 * b1 + (uint64_t)(mid >> 64) + (uint64_t)(mid2 >> 64);
    /* The product is hi * 2^128 + lo with hi in [2^126, 2^128). */
    if (hi >> 127) {
        r.e++;
    } else {
        hi = (hi << 1) | ((uint64_t)mid2 >> 63);
        mid2 <<= 1;
    }
    r.m = hi | (((uint64_t)mid2 | (uint64_t)p00) != 0);
    return r;
}

/* 128-bit quotient by restoring division, remainder jammed. */
static XF xf_div(XF a, XF b)
{
    u128 n = a.m, d = b.m, q = 0;
    XF r = { 0, a.e - b.e, a.s ^ b.s };
    int bits = 127;

    if (!a.m) {
        return xf_zero(r.s);
    }
    if (n >= d) {
        n -= d;
        q = 1;
    } else {
        r.e--;
        bits = 128;
    }
    for (int i = 0; i < bits; i++) {
        bool top = n >> 127;
        n <<= 1;
        q <<= 1;
        if (top || n >= d) {
            n -= d;
            q |= 1;
        }
    }
    r.m = q | (n != 0);
    return r;
}

/* c[0] + c[1] x + ... + c[n-1] x^(n-1), by Horner's rule. */
static XF xf_poly(XF x, const XFConst *c, int n)
{
    XF p = xfc(&c[n - 1]);

    for (int i = n - 2; i >= 0; i--) {
        p = xf_add(xf_mul(p, x), xfc(&c[i]));
    }
    return p;
}

/* round(a), halves away from zero, for |a| < 2^62. */
static int64_t xf_round_int(XF a)
{
    int64_t v;

    if (!a.m || a.e < -1) {
        return 0;
    }
    v = (int64_t)((((uint64_t)(a.m >> (126 - a.e))) + 1) >> 1);
    return a.s ? -v : v;
}

static floatx80 xf_round(XF a, FloatStatus *s)
{
    if (!a.m) {
        return sf_pack_x80(sf_raw_zero(a.s));
    }
    return sf_pack_x80(sf_round_pack(s, &sf_fmt_x80_64, a.s, a.e, a.m));
}

/*
 * F2XM1, FYL2X and FYL2XP1 report PE for every computed result, even an
 * exact one such as log2(8) (measured: the hardware does not detect exact
 * results; only its special cases of the SDM tables are exact).
 */
static floatx80 xf_round_inexact(XF a, FloatStatus *s)
{
    bool was_tiny = s->tiny;
    floatx80 r;

    s->tiny = false;
    r = xf_round(a, s);
    s->flags |= float_flag_inexact;
    if (s->tiny) {
        s->flags |= float_flag_underflow; /* tiny and "inexact" */
    }
    s->tiny |= was_tiny;
    return r;
}

static inline floatx80 x80_const(const XFConst *c, bool neg, FloatStatus *s)
{
    XF v = xfc(c);
    v.s ^= neg;
    return xf_round(v, s);
}

/*
 * Elementary functions on XF.
 */

/* sin(t) and cos(t) for |t| <= pi/4 (+ a little). */
static void xf_sincos(XF t, XF *sn, XF *cs)
{
    XF t2 = xf_mul(t, t);

    if (sn) {
        *sn = xf_mul(t, xf_poly(t2, sin_coef, ARRAY_SIZE(sin_coef)));
    }
    if (cs) {
        *cs = xf_poly(t2, cos_coef, ARRAY_SIZE(cos_coef));
    }
}

/* atan(z) for 0 <= z <= 1: atan(z) = atan(c) + atan((z - c) / (1 + zc))
 * with c = j/16 the nearest sixteenth, so the series argument is at
 * most 1/32. */
static XF xf_atan(XF z)
{
    int64_t j = xf_round_int(xf_ldexp(z, 4));
    XF r = z, r2, a;

    if (j) {
        XF c = xf_ldexp(xf_from_int(j), -4);
        r = xf_div(xf_sub(z, c), xf_add(xf_from_int(1), xf_mul(z, c)));
    }
    r2 = xf_mul(r, r);
    a = xf_mul(r, xf_poly(r2, atan_coef, ARRAY_SIZE(atan_coef)));
    return j ? xf_add(a, xfc(&atan_tab[j])) : a;
}

/* ln(m) for m in [sqrt(1/2), sqrt(2)]: ln(c) + ln(m/c) with c = j/32
 * nearest to m, and ln(m/c) = 2 atanh((m - c) / (m + c)). */
static XF xf_ln_reduced(XF m)
{
    int64_t j = xf_round_int(xf_ldexp(m, 5));
    XF c = xf_ldexp(xf_from_int(j), -5), sr, v;

    sr = xf_div(xf_sub(m, c), xf_add(m, c));
    v = xf_mul(sr, xf_poly(xf_mul(sr, sr), atanh_coef, ARRAY_SIZE(atanh_coef)));
    return xf_add(v, xfc(&ln_tab[j - 22]));
}

/* log2(a) for a > 0. */
static XF xf_log2(XF a)
{
    int32_t e = a.e;
    XF m = a;

    /* Split a = m * 2^e with m in [sqrt(1/2), sqrt(2)]. */
    m.e = 0;
    if (m.m > (((u128)0xB504F333F9DE6484ull << 64) | 0x597D89B3754ABE9Full)) {
        m.e = -1;
        e++;
    }
    return xf_add(xf_mul(xf_ln_reduced(m), xfc(&XC_LOG2E)), xf_from_int(e));
}

/* 2^f - 1 for |f| <= 1/2: 2^(j/32) * 2^r - 1 with r = f - j/32. */
static XF xf_exp2m1_reduced(XF f)
{
    int64_t j = xf_round_int(xf_ldexp(f, 5));
    XF r = xf_sub(f, xf_ldexp(xf_from_int(j), -5));
    XF u = xf_mul(r, xfc(&XC_LN2));
    XF e1 = xf_mul(u, xf_poly(u, expm1_coef, ARRAY_SIZE(expm1_coef)));
    XF t = xfc(&exp2m1_tab[j + 16]);

    return xf_add(t, xf_mul(xf_add(t, xf_from_int(1)), e1));
}

/*
 * Argument reduction modulo pi/2 with the hardware's 66-bit pi:
 * pi66 / 2 = PIO2_66 * 2^-65.  With |x| < 2^63 and a 64-bit significand
 * x * 2^65 is an integer of at most 128 bits, so the quotient k and the
 * remainder t = x - k * pi66/2 are exact.
 */
#define PIO2_66 (((u128)0x3 << 64) | 0x243F6A8885A308D3ull)

static XF reduce_pio2(const FloatParts *p, uint64_t *k)
{
    XF t = xf_from_parts(p);
    u128 X, q, r;
    int lz;

    t.s = false;
    *k = 0;
    if (p->exp < -1) {
        return t; /* |x| < 1/2 < pi/4 */
    }
    X = (u128)p->sig << (p->exp + 2);
    q = X / PIO2_66;
    r = X % PIO2_66;
    if (r > PIO2_66 - r) { /* PIO2_66 is odd: no ties */
        q++;
        r = PIO2_66 - r;
        t.s = true;
    }
    *k = (uint64_t)q;
    if (r == 0) {
        return xf_zero(false);
    }
    lz = clz128(r);
    t.m = r << lz;
    t.e = 62 - lz;
    return t;
}

/*
 * The checks shared by FSIN, FCOS, FSINCOS, FPTAN.  Returns -1 when out
 * of range, 0 when *special holds the result (NaN operands, infinity,
 * unsupported) or the operand is zero, 1 when there is work to do.
 */
static int trig_prepare(floatx80 a, FloatParts *p, floatx80 *special,
                        FloatStatus *s)
{
    *p = sf_unpack_x80(a);
    switch (p->cls) {
    case FC_UNSUPPORTED:
    case FC_INF:
        *special = sf_pack_x80(sf_invalid(&sf_fmt_x80_64, s));
        return 0;
    case FC_QNAN:
    case FC_SNAN:
        *special = sf_pack_x80(sf_pick_nan(&sf_fmt_x80_64, p, NULL, s));
        return 0;
    case FC_ZERO:
        return 0;
    default:
        break;
    }
    if (p->exp >= 63) {
        return -1;
    }
    if (p->denormal) {
        s->flags |= float_flag_denormal;
    }
    return 1;
}

/* sin and cos of |x|, by quadrant. */
static void sincos_quadrant(const FloatParts *p, XF *sn, XF *cs)
{
    uint64_t k;
    XF t = reduce_pio2(p, &k), s0, c0;

    xf_sincos(t, &s0, &c0);
    switch (k & 3) {
    case 0:
        *sn = s0;
        *cs = c0;
        break;
    case 1:
        *sn = c0;
        *cs = xf_neg(s0);
        break;
    case 2:
        *sn = xf_neg(s0);
        *cs = xf_neg(c0);
        break;
    default:
        *sn = xf_neg(c0);
        *cs = s0;
        break;
    }
    sn->s ^= p->sign; /* sin(-x) = -sin(x) */
}

bool floatx80_sin(floatx80 a, floatx80 *result, FloatStatus *s)
{
    FloatParts p;
    XF sn, cs;
    int c = trig_prepare(a, &p, result, s);

    if (c <= 0) {
        if (c == 0 && p.cls == FC_ZERO) {
            *result = a;
        }
        return c == 0;
    }
    sincos_quadrant(&p, &sn, &cs);
    *result = xf_round(sn, s);
    return true;
}

bool floatx80_cos(floatx80 a, floatx80 *result, FloatStatus *s)
{
    FloatParts p;
    XF sn, cs;
    int c = trig_prepare(a, &p, result, s);

    if (c <= 0) {
        if (c == 0 && p.cls == FC_ZERO) {
            *result = make_floatx80(16383, SIG_INT);
        }
        return c == 0;
    }
    sincos_quadrant(&p, &sn, &cs);
    *result = xf_round(cs, s);
    return true;
}

bool floatx80_sincos(floatx80 a, floatx80 *sin, floatx80 *cos, FloatStatus *s)
{
    FloatStatus tmp;
    FloatParts p;
    XF sn, cs;
    floatx80 special;
    int c = trig_prepare(a, &p, &special, s);

    if (c <= 0) {
        if (c == 0) {
            *sin = p.cls == FC_ZERO ? a : special;
            *cos = p.cls == FC_ZERO ? make_floatx80(16383, SIG_INT) : special;
        }
        return c == 0;
    }
    sincos_quadrant(&p, &sn, &cs);
    /* Both roundings raise flags, but C1 reports the sine's (measured). */
    tmp = *s;
    *cos = xf_round(cs, &tmp);
    s->flags |= tmp.flags;
    s->tiny |= tmp.tiny;
    *sin = xf_round(sn, s);
    return true;
}

bool floatx80_tan(floatx80 a, floatx80 *result, FloatStatus *s)
{
    FloatParts p;
    XF sn, cs, t, r;
    uint64_t k;
    int c = trig_prepare(a, &p, result, s);

    if (c <= 0) {
        if (c == 0 && p.cls == FC_ZERO) {
            *result = a;
        }
        return c == 0;
    }
    t = reduce_pio2(&p, &k);
    if (t.e < -32 && t.m) {
        /* Tiny t: sin/cos would be a quotient of two values within 2^-64
         * of 1 whose sticky bits may cancel, losing the direction of the
         * tiny correction; use the series directly. */
        XF t2 = xf_mul(t, t);
        if (k & 1) {
            r = xf_neg(xf_sub(xf_div(xf_from_int(1), t),
                              xf_mul(t, xf_poly(t2, cot_coef, 2))));
        } else {
            r = xf_mul(t, xf_poly(t2, tan_coef, 3));
        }
    } else {
        xf_sincos(t, &sn, &cs);
        r = (k & 1) ? xf_neg(xf_div(cs, sn)) : xf_div(sn, cs);
    }
    r.s ^= p.sign;
    *result = xf_round(r, s);
    return true;
}

/*
 * FPATAN, with the special cases of the SDM table: signed zeros give
 * +-0 or +-pi, infinities multiples of pi/4.
 */
floatx80 floatx80_atan2(floatx80 y, floatx80 x, FloatStatus *s)
{
    FloatParts py = sf_unpack_x80(y), px = sf_unpack_x80(x);
    const FloatFmt *f = &sf_fmt_x80_64;
    XF ay, ax, r;

    if (py.cls == FC_UNSUPPORTED || px.cls == FC_UNSUPPORTED) {
        return sf_pack_x80(sf_invalid(f, s));
    }
    if (sf_is_nan(&py) || sf_is_nan(&px)) {
        return sf_pack_x80(sf_pick_nan(f, &px, &py, s));
    }
    if (py.denormal || px.denormal) {
        s->flags |= float_flag_denormal;
    }
    if (py.cls == FC_ZERO) {
        if (!px.sign) {
            return sf_pack_x80(sf_raw_zero(py.sign));
        }
        return x80_const(&XC_PI, py.sign, s);
    }
    if (px.cls == FC_ZERO) {
        return x80_const(&XC_PI_2, py.sign, s);
    }
    if (py.cls == FC_INF) {
        if (px.cls == FC_INF) {
            return x80_const(px.sign ? &XC_3PI_4 : &XC_PI_4, py.sign, s);
        }
        return x80_const(&XC_PI_2, py.sign, s);
    }
    if (px.cls == FC_INF) {
        if (!px.sign) {
            return sf_pack_x80(sf_raw_zero(py.sign));
        }
        return x80_const(&XC_PI, py.sign, s);
    }
    ay = xf_from_parts(&py);
    ax = xf_from_parts(&px);
    ay.s = ax.s = false;
    if (ay.e < ax.e || (ay.e == ax.e && ay.m <= ax.m)) {
        r = xf_atan(xf_div(ay, ax));
    } else {
        r = xf_sub(xfc(&XC_PI_2), xf_atan(xf_div(ax, ay)));
    }
    if (px.sign) {
        r = xf_sub(xfc(&XC_PI), r);
    }
    r.s = py.sign;
    return xf_round(r, s);
}

/*
 * F2XM1.  Outside [-1, 1] the SDM leaves the result undefined; we return
 * 2^x - 1 anyway.
 */
floatx80 floatx80_f2xm1(floatx80 a, FloatStatus *s)
{
    FloatParts p = sf_unpack_x80(a);
    const FloatFmt *f = &sf_fmt_x80_64;
    XF x, v, pow2n;
    int64_t n;

    switch (p.cls) {
    case FC_UNSUPPORTED:
        return sf_pack_x80(sf_invalid(f, s));
    case FC_QNAN:
    case FC_SNAN:
        return sf_pack_x80(sf_pick_nan(f, &p, NULL, s));
    case FC_ZERO:
        return a;
    case FC_INF: /* 2^-inf - 1 = -1 */
        return p.sign ? make_floatx80(0xBFFF, SIG_INT) : a;
    default:
        break;
    }
    if (p.denormal) {
        s->flags |= float_flag_denormal;
    }
    x = xf_from_parts(&p);
    if (p.exp >= 16) {
        /* Far outside the domain: overflow, or -1 plus a tiny amount. */
        if (!p.sign) {
            return xf_round(xf_ldexp(xf_from_int(1), 1 << 20), s);
        }
        return xf_round(
            xf_add(xf_from_int(-1), xf_ldexp(xf_from_int(1), -(1 << 20))), s);
    }
    if (p.exp == 0 && p.sig == SIG_INT && !p.sign) {
        /* 2^1 - 1: the hardware reports it inexact and rounded up. */
        s->flags |= float_flag_inexact;
        s->rounded_up = true;
        return a;
    }
    /* 2^x - 1 = 2^n (2^f - 1) + (2^n - 1), f = x - n in [-1/2, 1/2]. */
    n = xf_round_int(x);
    v = xf_exp2m1_reduced(xf_sub(x, xf_from_int(n)));
    if (n) {
        pow2n = xf_ldexp(xf_from_int(1), (int32_t)n);
        v = xf_add(xf_ldexp(v, (int32_t)n), xf_sub(pow2n, xf_from_int(1)));
    }
    return xf_round_inexact(v, s);
}

/* y * log2(0) or y * log2(+inf) and the like; the result is infinite
 * with the given sign unless y is zero. */
static floatx80 log_pole(const FloatParts *py, bool neg, bool zero_divide,
                         FloatStatus *s)
{
    if (py->cls == FC_ZERO) {
        return sf_pack_x80(sf_invalid(&sf_fmt_x80_64, s));
    }
    if (zero_divide && py->cls != FC_INF) {
        /* As for division, ZE takes precedence over DE. */
        s->flags |= float_flag_divbyzero;
    } else if (py->denormal) {
        s->flags |= float_flag_denormal;
    }
    return sf_pack_x80(sf_raw_inf(&sf_fmt_x80_64, neg));
}

/* y * l where l = log2(...) is finite, non-zero with sign lneg; y is
 * zero or infinite. */
static floatx80 log_scale_special(const FloatParts *py, bool lneg,
                                  FloatStatus *s)
{
    bool sign = py->sign ^ lneg;

    if (py->cls == FC_INF) {
        return sf_pack_x80(sf_raw_inf(&sf_fmt_x80_64, sign));
    }
    return sf_pack_x80(sf_raw_zero(sign));
}

floatx80 floatx80_yl2x(floatx80 x, floatx80 y, FloatStatus *s)
{
    FloatParts px = sf_unpack_x80(x), py = sf_unpack_x80(y);
    const FloatFmt *f = &sf_fmt_x80_64;

    if (px.cls == FC_UNSUPPORTED || py.cls == FC_UNSUPPORTED) {
        return sf_pack_x80(sf_invalid(f, s));
    }
    if (sf_is_nan(&px) || sf_is_nan(&py)) {
        return sf_pack_x80(sf_pick_nan(f, &px, &py, s));
    }
    if (px.sign && px.cls != FC_ZERO) {
        return sf_pack_x80(sf_invalid(f, s)); /* log of a negative */
    }
    if (px.cls == FC_ZERO) { /* log2(0) = -inf */
        return log_pole(&py, !py.sign, true, s);
    }
    if (px.denormal) {
        s->flags |= float_flag_denormal;
    }
    if (px.cls == FC_INF) {
        return log_pole(&py, py.sign, false, s);
    }
    if (px.exp == 0 && px.sig == SIG_INT) { /* log2(1) = +0 */
        if (py.cls == FC_INF) {
            return sf_pack_x80(sf_invalid(f, s));
        }
        if (py.denormal) {
            s->flags |= float_flag_denormal;
        }
        return sf_pack_x80(sf_raw_zero(py.sign));
    }
    if (py.denormal) {
        s->flags |= float_flag_denormal;
    }
    if (py.cls != FC_NORMAL) {
        return log_scale_special(&py, px.exp < 0, s);
    }
    return xf_round_inexact(
        xf_mul(xf_from_parts(&py), xf_log2(xf_from_parts(&px))), s);
}

floatx80 floatx80_yl2xp1(floatx80 x, floatx80 y, FloatStatus *s)
{
    FloatParts px = sf_unpack_x80(x), py = sf_unpack_x80(y);
    const FloatFmt *f = &sf_fmt_x80_64;
    XF l;

    if (px.cls == FC_UNSUPPORTED || py.cls == FC_UNSUPPORTED) {
        return sf_pack_x80(sf_invalid(f, s));
    }
    if (sf_is_nan(&px) || sf_is_nan(&py)) {
        return sf_pack_x80(sf_pick_nan(f, &px, &py, s));
    }
    if (px.sign && px.cls != FC_ZERO &&
        (px.cls == FC_INF || px.exp > 0 ||
         (px.exp == 0 && px.sig != SIG_INT))) {
        return sf_pack_x80(sf_invalid(f, s)); /* x < -1 */
    }
    if (px.sign && px.exp == 0 && px.cls == FC_NORMAL) {
        return log_pole(&py, !py.sign, true, s); /* x = -1 */
    }
    if (px.cls == FC_INF) {
        return log_pole(&py, py.sign, false, s);
    }
    if (px.cls == FC_ZERO) { /* log2(1 + -0) = -0 */
        if (py.cls == FC_INF) {
            return sf_pack_x80(sf_invalid(f, s));
        }
        if (py.denormal) {
            s->flags |= float_flag_denormal;
        }
        return sf_pack_x80(sf_raw_zero(py.sign ^ px.sign));
    }
    if (px.denormal || py.denormal) {
        s->flags |= float_flag_denormal;
    }
    if (py.cls != FC_NORMAL) {
        return log_scale_special(&py, px.sign, s);
    }
    if (px.exp >= -64) {
        /* 1 + x is exact in 128 bits. */
        l = xf_log2(xf_add(xf_from_int(1), xf_from_parts(&px)));
    } else {
        /* ln(1 + x) = 2 atanh(x / (2 + x)), one or two terms suffice. */
        XF xx = xf_from_parts(&px);
        XF sr = xf_div(xx, xf_add(xf_from_int(2), xx));
        l = xf_mul(xf_mul(sr, xf_poly(xf_mul(sr, sr), atanh_coef, 3)),
                   xfc(&XC_LOG2E));
    }
    return xf_round_inexact(xf_mul(xf_from_parts(&py), l), s);
}

floatx80 floatx80_load_const(FloatX80Const which, FloatStatus *s)
{
    static const XFConst *const consts[] = {
        [floatx80_const_pi] = &XC_PI,     [floatx80_const_l2t] = &XC_L2T,
        [floatx80_const_l2e] = &XC_LOG2E, [floatx80_const_lg2] = &XC_LG2,
        [floatx80_const_ln2] = &XC_LN2,
    };
    /* Rounded in the current mode, but without flags or C1. */
    FloatStatus tmp = *s;

    return x80_const(consts[which], false, &tmp);
}
