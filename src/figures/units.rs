//! Units of measure for cited figures: a registry of named units with their
//! dimensions, conversions between units of one dimension (affine ones for
//! °C and °F), arithmetic on quantities (single values and ranges), compound
//! units written with `/` or `·` (`m/Wh`, `€/kWh`), units a site defines, and
//! display formatting.
//!
//! A dimension is a vector of exponents over the base dimensions (bytes,
//! seconds, tokens, watts, flops, parameters, metres, kilograms, kelvins,
//! amperes, revolutions, one money dimension per currency, the two sound
//! levels, and slots for dimensions a site declares). Currencies are separate
//! base dimensions so that USD, EUR and GBP can never be converted into one
//! another: there is no exchange rate in a build that must be reproducible.
//! Sound levels (dB, dB(A)) are logarithmic and weighted differently, so each
//! is its own dimension: they never convert.
//!
//! The table is written by hand rather than taken from a units database
//! (rink-core was evaluated): every name here is also looked for in prose, so
//! the list must be short and unambiguous (`B` is billions of parameters, `t`
//! in `t/s` is tokens, `h` is an hour, never Planck's constant), and a
//! database under the GPL cannot be bundled into this MIT binary.

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

/// Number of base dimensions in a [`Dim`] vector (built-in ones plus site slots).
pub const BASE_DIMS: usize = 24;
/// Index of the bytes base dimension (bits are bytes / 8).
pub const BYTES: usize = 0;
/// Index of the seconds base dimension.
pub const SECONDS: usize = 1;
/// Index of the tokens base dimension.
pub const TOKENS: usize = 2;
/// Index of the watts base dimension (power is a base; energy is W·s).
pub const WATTS: usize = 3;
/// Index of the floating-point operations base dimension.
pub const FLOPS: usize = 4;
/// Index of the model parameters base dimension.
pub const PARAMS: usize = 5;
/// Index of the US dollar base dimension.
pub const USD: usize = 6;
/// Index of the euro base dimension.
pub const EUR: usize = 7;
/// Index of the pound sterling base dimension.
pub const GBP: usize = 8;
/// Index of the metres base dimension (length; volume is m³).
pub const METRES: usize = 9;
/// Index of the kilograms base dimension (mass).
pub const KILOGRAMS: usize = 10;
/// Index of the kelvins base dimension (temperature).
pub const KELVINS: usize = 11;
/// Index of the amperes base dimension (current; a volt is W/A).
pub const AMPERES: usize = 12;
/// Index of the revolutions base dimension (`rpm` is revolutions per minute).
pub const REVOLUTIONS: usize = 13;
/// Index of the sound level in decibels (never converted).
pub const DECIBELS: usize = 14;
/// Index of the A-weighted sound level in dB(A) (never converted).
pub const DECIBELS_A: usize = 15;
/// Index of the first base dimension a site may declare in sitegen.toml.
pub const FIRST_SITE_DIM: usize = 16;

/// Significant digits kept before decimal rounding: enough for any figure an
/// author writes, few enough to erase the noise of unit conversions
/// (273 GB/s in TB/s is 0.27300000000000002 in binary).
const SIGNIFICANT_DIGITS: usize = 14;

/// A dimension: the exponent of each base dimension.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Dim(pub [i8; BASE_DIMS]);

impl Dim {
    /// The dimension of ratios, percentages and bare counts.
    pub const NONE: Dim = Dim([0; BASE_DIMS]);

    /// The dimension made of one base dimension (index out of range: none).
    pub fn base(index: usize) -> Dim {
        let mut exps = [0; BASE_DIMS];
        if let Some(e) = exps.get_mut(index) {
            *e = 1;
        }
        Dim(exps)
    }

    /// Builds a dimension from `(base index, exponent)` pairs.
    pub fn from_pairs(pairs: &[(usize, i8)]) -> Dim {
        let mut exps = [0; BASE_DIMS];
        for &(index, exp) in pairs {
            if let Some(e) = exps.get_mut(index) {
                *e = exp;
            }
        }
        Dim(exps)
    }

    /// True for ratios, percentages and bare counts.
    pub fn is_dimensionless(&self) -> bool {
        *self == Dim::NONE
    }

    /// The product (`sign` 1) or quotient (`sign` -1) of two dimensions;
    /// `None` when an exponent would overflow.
    pub fn combine(&self, other: &Dim, sign: i8) -> Option<Dim> {
        let mut exps = [0; BASE_DIMS];
        for (i, e) in exps.iter_mut().enumerate() {
            *e = self.0[i].checked_add(other.0[i].checked_mul(sign)?)?;
        }
        Some(Dim(exps))
    }
}

/// The three currencies a figure can be priced in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Currency {
    /// US dollar, `$`.
    Usd,
    /// Euro, `€`.
    Eur,
    /// Pound sterling, `£`.
    Gbp,
}

impl Currency {
    /// All currencies, in display order.
    pub const ALL: [Currency; 3] = [Currency::Usd, Currency::Eur, Currency::Gbp];

    /// The ISO code: `USD`, `EUR`, `GBP`.
    pub fn code(self) -> &'static str {
        match self {
            Currency::Usd => "USD",
            Currency::Eur => "EUR",
            Currency::Gbp => "GBP",
        }
    }

    /// The sign written before an amount: `$`, `€`, `£`.
    pub fn sign(self) -> &'static str {
        match self {
            Currency::Usd => "$",
            Currency::Eur => "€",
            Currency::Gbp => "£",
        }
    }

    /// The base dimension index of this currency.
    pub fn base(self) -> usize {
        match self {
            Currency::Usd => USD,
            Currency::Eur => EUR,
            Currency::Gbp => GBP,
        }
    }

    /// The currency whose code or sign is `token`.
    pub fn from_token(token: &str) -> Option<Currency> {
        Currency::ALL
            .into_iter()
            .find(|c| c.code() == token || c.sign() == token)
    }
}

/// A unit: display name, dimension and factor to the base units.
#[derive(Clone, Debug, PartialEq)]
pub struct Unit {
    /// Canonical display name (`GB/s`, `EUR/h`, `x`); empty for a bare count.
    pub name: String,
    /// Exponents of the base dimensions.
    pub dim: Dim,
    /// How many base units one of this unit is (GB: 1e9 bytes).
    pub factor: f64,
    /// Added after the factor to reach the base unit: 273.15 for °C (K = °C + 273.15);
    /// zero for every unit but a temperature scale.
    pub offset: f64,
}

/// How a unit is displayed; derived from the unit's canonical name and dimension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnitKind {
    /// A bare count: the number alone.
    Bare,
    /// A ratio: `2.7x`.
    Ratio,
    /// A percentage: `17%`.
    Percent,
    /// Money: `$3,999`.
    Money(Currency),
    /// Money per something: `€0.40/h`, `€0.30/kWh`.
    MoneyPer(Currency),
    /// Billions of parameters after a model size: `120B`.
    Params,
    /// Any other unit: number, space, name (`273 GB/s`).
    Other,
}

impl Unit {
    /// A unit from its parts.
    pub fn new(name: &str, dim: Dim, factor: f64) -> Unit {
        Unit {
            name: name.to_string(),
            dim,
            factor,
            offset: 0.0,
        }
    }

    /// True for a temperature scale whose zero is not the base unit's (°C, °F):
    /// such a unit converts, but does not multiply or divide.
    pub fn is_affine(&self) -> bool {
        self.offset != 0.0
    }

    /// The unit of bare counts and plain numbers in expressions.
    pub fn bare() -> Unit {
        Unit::new("", Dim::NONE, 1.0)
    }

    /// The ratio unit `x` (factor 1).
    pub fn ratio() -> Unit {
        Unit::new("x", Dim::NONE, 1.0)
    }

    /// True for the unit of bare counts.
    pub fn is_bare(&self) -> bool {
        self.name.is_empty() && self.dim.is_dimensionless()
    }

    /// How this unit is displayed.
    pub fn kind(&self) -> UnitKind {
        if self.dim.is_dimensionless() {
            return match self.name.as_str() {
                "" => UnitKind::Bare,
                "%" => UnitKind::Percent,
                _ => UnitKind::Ratio,
            };
        }
        if self.name == "B" {
            return UnitKind::Params;
        }
        for c in Currency::ALL {
            if self.name == c.code() {
                return UnitKind::Money(c);
            }
            if self
                .name
                .strip_prefix(c.code())
                .is_some_and(|rest| rest.starts_with('/'))
            {
                return UnitKind::MoneyPer(c);
            }
        }
        UnitKind::Other
    }

    /// The name used in messages: the display name, or "number" for a bare count.
    pub fn label(&self) -> &str {
        if self.name.is_empty() {
            "number"
        } else {
            &self.name
        }
    }
}

/// Converts `value` in unit `from` into unit `to`; `None` when the dimensions differ.
pub fn convert(value: f64, from: &Unit, to: &Unit) -> Option<f64> {
    if from.dim != to.dim {
        return None;
    }
    if from.is_affine() || to.is_affine() {
        if from.factor == to.factor && from.offset == to.offset {
            return Some(value);
        }
        return Some((value * from.factor + from.offset - to.offset) / to.factor);
    }
    // Equal factors return the value untouched: v * f / f may move by an ulp.
    if from.factor == to.factor {
        return Some(value);
    }
    Some(value * from.factor / to.factor)
}

/// One built-in unit: canonical name, aliases, dimension, factor, offset.
struct Builtin {
    name: &'static str,
    aliases: &'static [&'static str],
    dim: &'static [(usize, i8)],
    factor: f64,
    offset: f64,
    /// Whether a computed unit with this dimension and factor takes this name
    /// (`W·h` is shown `Wh`; `1/s` is not shown `Hz`, nor `W·s` `Nm`).
    names_results: bool,
}

/// Shorthand for the built-in table.
const fn b(
    name: &'static str,
    aliases: &'static [&'static str],
    dim: &'static [(usize, i8)],
    factor: f64,
) -> Builtin {
    Builtin {
        name,
        aliases,
        dim,
        factor,
        offset: 0.0,
        names_results: true,
    }
}

/// A built-in unit that never names a computed unit.
const fn own(
    name: &'static str,
    aliases: &'static [&'static str],
    dim: &'static [(usize, i8)],
    factor: f64,
) -> Builtin {
    Builtin {
        names_results: false,
        ..b(name, aliases, dim, factor)
    }
}

/// A temperature scale: kelvins = value × factor + offset.
const fn scale(
    name: &'static str,
    aliases: &'static [&'static str],
    factor: f64,
    offset: f64,
) -> Builtin {
    Builtin {
        offset,
        names_results: false,
        ..b(name, aliases, TEMPERATURE, factor)
    }
}

const BYTE: &[(usize, i8)] = &[(BYTES, 1)];
const BYTE_RATE: &[(usize, i8)] = &[(BYTES, 1), (SECONDS, -1)];
const TIME: &[(usize, i8)] = &[(SECONDS, 1)];
const TOKEN: &[(usize, i8)] = &[(TOKENS, 1)];
const TOKEN_RATE: &[(usize, i8)] = &[(TOKENS, 1), (SECONDS, -1)];
const POWER: &[(usize, i8)] = &[(WATTS, 1)];
const FLOP_RATE: &[(usize, i8)] = &[(FLOPS, 1), (SECONDS, -1)];
const PARAM: &[(usize, i8)] = &[(PARAMS, 1)];
const MONEY_USD: &[(usize, i8)] = &[(USD, 1)];
const MONEY_EUR: &[(usize, i8)] = &[(EUR, 1)];
const MONEY_GBP: &[(usize, i8)] = &[(GBP, 1)];
const HOURLY_USD: &[(usize, i8)] = &[(USD, 1), (SECONDS, -1)];
const HOURLY_EUR: &[(usize, i8)] = &[(EUR, 1), (SECONDS, -1)];
const HOURLY_GBP: &[(usize, i8)] = &[(GBP, 1), (SECONDS, -1)];
const NO_DIM: &[(usize, i8)] = &[];
const LENGTH: &[(usize, i8)] = &[(METRES, 1)];
const VOLUME: &[(usize, i8)] = &[(METRES, 3)];
const MASS: &[(usize, i8)] = &[(KILOGRAMS, 1)];
const SPEED: &[(usize, i8)] = &[(METRES, 1), (SECONDS, -1)];
const ENERGY: &[(usize, i8)] = &[(WATTS, 1), (SECONDS, 1)];
const FORCE: &[(usize, i8)] = &[(WATTS, 1), (SECONDS, 1), (METRES, -1)];
const CHARGE: &[(usize, i8)] = &[(AMPERES, 1), (SECONDS, 1)];
const CURRENT: &[(usize, i8)] = &[(AMPERES, 1)];
const VOLTAGE: &[(usize, i8)] = &[(WATTS, 1), (AMPERES, -1)];
const FREQUENCY: &[(usize, i8)] = &[(SECONDS, -1)];
const ROTATION: &[(usize, i8)] = &[(REVOLUTIONS, 1), (SECONDS, -1)];
const TEMPERATURE: &[(usize, i8)] = &[(KELVINS, 1)];
const SOUND: &[(usize, i8)] = &[(DECIBELS, 1)];
const SOUND_A: &[(usize, i8)] = &[(DECIBELS_A, 1)];

const KIB: f64 = 1024.0;
const MIB: f64 = KIB * KIB;
const GIB: f64 = MIB * KIB;
const TIB: f64 = GIB * KIB;
const HOUR: f64 = 3600.0;

/// The built-in units. Canonical names come first in each row; the order of
/// rows decides which name a computed unit gets when two units coincide.
/// There is deliberately no bare byte unit: `B` after a number is billions of
/// parameters (`120B`), and bytes are written with a prefix (`MB`, `GiB`).
const BUILTINS: &[Builtin] = &[
    b("KB", &["kB"], BYTE, 1e3),
    b("MB", &[], BYTE, 1e6),
    b("GB", &[], BYTE, 1e9),
    b("TB", &[], BYTE, 1e12),
    b("PB", &[], BYTE, 1e15),
    b("KiB", &[], BYTE, KIB),
    b("MiB", &[], BYTE, MIB),
    b("GiB", &[], BYTE, GIB),
    b("TiB", &[], BYTE, TIB),
    b("MB/s", &["MB/sec"], BYTE_RATE, 1e6),
    b("GB/s", &["GB/sec"], BYTE_RATE, 1e9),
    b("TB/s", &["TB/sec"], BYTE_RATE, 1e12),
    b("GiB/s", &[], BYTE_RATE, GIB),
    b("Mb/s", &["Mbps", "Mbit/s"], BYTE_RATE, 1e6 / 8.0),
    b("Gb/s", &["Gbps", "Gbit/s"], BYTE_RATE, 1e9 / 8.0),
    b("Tb/s", &["Tbps", "Tbit/s"], BYTE_RATE, 1e12 / 8.0),
    b("tokens", &["token"], TOKEN, 1.0),
    b(
        "tok/s",
        &["t/s", "tokens/s", "tok/sec", "tokens/sec", "token/s"],
        TOKEN_RATE,
        1.0,
    ),
    b("W", &["watts"], POWER, 1.0),
    b("kW", &[], POWER, 1e3),
    b("MW", &[], POWER, 1e6),
    b("ms", &[], TIME, 1e-3),
    b("s", &["sec", "secs", "second", "seconds"], TIME, 1.0),
    b("min", &["mins", "minute", "minutes"], TIME, 60.0),
    b("h", &["hr", "hrs", "hour", "hours"], TIME, HOUR),
    b("days", &["day"], TIME, 24.0 * HOUR),
    b("USD", &["$", "US$"], MONEY_USD, 1.0),
    b("EUR", &["€"], MONEY_EUR, 1.0),
    b("GBP", &["£"], MONEY_GBP, 1.0),
    b(
        "USD/h",
        &["$/h", "$/hr", "$/hour", "USD/hr", "USD/hour"],
        HOURLY_USD,
        1.0 / HOUR,
    ),
    b(
        "EUR/h",
        &["€/h", "€/hr", "€/hour", "EUR/hr", "EUR/hour"],
        HOURLY_EUR,
        1.0 / HOUR,
    ),
    b(
        "GBP/h",
        &["£/h", "£/hr", "£/hour", "GBP/hr", "GBP/hour"],
        HOURLY_GBP,
        1.0 / HOUR,
    ),
    b("GFLOPS", &[], FLOP_RATE, 1e9),
    b("TFLOPS", &[], FLOP_RATE, 1e12),
    b("PFLOPS", &[], FLOP_RATE, 1e15),
    // TOPS get their own name so a figure stored in TOPS is shown in TOPS;
    // they convert to and from TFLOPS like the vendors' own comparisons do.
    b("TOPS", &[], FLOP_RATE, 1e12),
    b("POPS", &[], FLOP_RATE, 1e15),
    b("B", &[], PARAM, 1e9),
    b("params", &["parameters"], PARAM, 1.0),
    b("x", &["×"], NO_DIM, 1.0),
    b("%", &[], NO_DIM, 0.01),
    // Units of any product, after the ones above so that computed units keep
    // the names they had.
    b("mW", &[], POWER, 1e-3),
    b("mm", &[], LENGTH, 1e-3),
    b("cm", &[], LENGTH, 1e-2),
    b("m", &["metres", "meters"], LENGTH, 1.0),
    b("km", &[], LENGTH, 1e3),
    b("in", &["inch", "inches", "″"], LENGTH, 0.0254),
    b("ft", &["feet", "foot"], LENGTH, 0.3048),
    b("yd", &[], LENGTH, 0.9144),
    b("mi", &["miles", "mile"], LENGTH, 1609.344),
    b("g", &["grams"], MASS, 1e-3),
    b("kg", &[], MASS, 1.0),
    b("lb", &["lbs"], MASS, 0.453_592_37),
    b("oz", &[], MASS, 0.028_349_523_125),
    b("m/s", &[], SPEED, 1.0),
    b("km/h", &["kph", "kmh"], SPEED, 1.0 / 3.6),
    b("mph", &["mi/h"], SPEED, 0.447_04),
    b("ml", &["mL"], VOLUME, 1e-6),
    b("l", &["L", "litres", "liters"], VOLUME, 1e-3),
    b("J", &["joules"], ENERGY, 1.0),
    b("kJ", &[], ENERGY, 1e3),
    b("MJ", &[], ENERGY, 1e6),
    b("Wh", &[], ENERGY, HOUR),
    b("kWh", &[], ENERGY, 1e3 * HOUR),
    b("MWh", &[], ENERGY, 1e6 * HOUR),
    // Torque has the dimension of energy (N·m = J), as in SI.
    own("Nm", &["N·m", "N⋅m"], ENERGY, 1.0),
    b("N", &["newtons"], FORCE, 1.0),
    b("mAh", &[], CHARGE, 3.6),
    b("Ah", &[], CHARGE, HOUR),
    b("mV", &[], VOLTAGE, 1e-3),
    b("V", &["volts"], VOLTAGE, 1.0),
    b("kV", &[], VOLTAGE, 1e3),
    b("mA", &[], CURRENT, 1e-3),
    b("A", &["amps"], CURRENT, 1.0),
    own("Hz", &[], FREQUENCY, 1.0),
    own("kHz", &[], FREQUENCY, 1e3),
    own("MHz", &[], FREQUENCY, 1e6),
    own("GHz", &[], FREQUENCY, 1e9),
    b("rpm", &["RPM"], ROTATION, 1.0 / 60.0),
    scale("K", &["kelvins"], 1.0, 0.0),
    scale("°C", &["℃", "degC"], 1.0, 273.15),
    scale("°F", &["℉", "degF"], 5.0 / 9.0, 273.15 - 32.0 * 5.0 / 9.0),
    b("dB", &[], SOUND, 1.0),
    b("dB(A)", &["dBA"], SOUND_A, 1.0),
];

/// Unit names that must touch their number (`27in`): "1 in 4" is no length.
const GLUED_ONLY: &[&str] = &["in", "″"];

/// The canonical built-in units, built once.
fn builtin_units() -> &'static [Unit] {
    static UNITS: OnceLock<Vec<Unit>> = OnceLock::new();
    UNITS.get_or_init(|| {
        BUILTINS
            .iter()
            .map(|row| Unit {
                offset: row.offset,
                ..Unit::new(row.name, Dim::from_pairs(row.dim), row.factor)
            })
            .collect()
    })
}

/// True when two factors are equal up to float noise.
fn same_factor(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs())
}

/// The built-in unit with this dimension and factor, if any: gives computed
/// units their usual name (EUR ÷ h is `EUR/h`, EUR ÷ EUR/h is `h`, W × h is `Wh`).
fn builtin_for(dim: &Dim, factor: f64) -> Option<Unit> {
    BUILTINS
        .iter()
        .zip(builtin_units())
        .find(|(row, u)| {
            row.names_results
                && u.dim == *dim
                && !dim.is_dimensionless()
                && same_factor(u.factor, factor)
        })
        .map(|(_, u)| u.clone())
}

/// How a site defines a unit in sitegen.toml's `[units]`.
#[derive(Clone, Debug, PartialEq)]
pub enum UnitDef {
    /// Another name for a unit the registry knows: `"tokens/sec" = "tok/s"`.
    Alias(String),
    /// A new unit worth an amount of a known one: `furlong = { equals = "201.168 m" }`.
    Equals(String),
    /// A new unit of a new dimension: `lux = { dimension = "illuminance" }`.
    Dimension(String),
}

/// A unit found at the start of a text by [`UnitRegistry::units_at`].
#[derive(Clone, Debug, PartialEq)]
pub struct UnitMatch {
    /// Bytes of the text the unit's name takes.
    pub len: usize,
    /// The unit.
    pub unit: Unit,
    /// True when this name must touch the number before it (`27in`).
    pub glued_only: bool,
}

/// The registry of unit names and aliases known to a site.
#[derive(Clone, Debug)]
pub struct UnitRegistry {
    units: HashMap<String, Unit>,
    /// All names, longest first, for longest-match scanning of text.
    names: Vec<String>,
    /// The dimensions the site declared, in slot order.
    site_dims: Vec<String>,
}

impl Default for UnitRegistry {
    fn default() -> Self {
        Self::new()
    }
}

/// Longest names first, then alphabetical, so scans are deterministic.
fn name_order(a: &str, b: &str) -> std::cmp::Ordering {
    b.len().cmp(&a.len()).then_with(|| a.cmp(b))
}

/// True for characters that glue words together.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

impl UnitRegistry {
    /// The registry of built-in units and their aliases.
    pub fn new() -> Self {
        let mut reg = UnitRegistry {
            units: HashMap::new(),
            names: Vec::new(),
            site_dims: Vec::new(),
        };
        for (row, unit) in BUILTINS.iter().zip(builtin_units()) {
            reg.insert(row.name, unit.clone());
            for alias in row.aliases {
                reg.insert(alias, unit.clone());
            }
        }
        reg
    }

    /// The built-ins plus site aliases (`alias`, `existing unit name`), e.g.
    /// from sitegen.toml. An alias may name an earlier alias. Errors name the
    /// offending alias: an unknown target, an empty or spaced alias, or an
    /// alias that already names a different unit.
    pub fn with_aliases(aliases: &[(String, String)]) -> Result<Self, String> {
        let mut reg = Self::new();
        for (alias, target) in aliases {
            reg.define(alias, &UnitDef::Alias(target.clone()))?;
        }
        Ok(reg)
    }

    /// Adds a site's unit: an alias, a unit worth an amount of a known unit, or
    /// a unit of a new dimension. The error says what is wrong with `name`'s
    /// definition; the registry is then unchanged.
    pub fn define(&mut self, name: &str, def: &UnitDef) -> Result<(), String> {
        if name.is_empty() || name.chars().any(char::is_whitespace) {
            return Err(format!(
                "unit `{name}` must be a non-empty name without spaces"
            ));
        }
        if name.starts_with(|c: char| c.is_ascii_digit() || c == '.' || c == ',') {
            return Err(format!("unit `{name}` must not start with a digit"));
        }
        let unit = match def {
            UnitDef::Alias(target) => self
                .get(target)
                .ok_or_else(|| format!("unit alias `{name}` names unknown unit `{target}`"))?,
            UnitDef::Equals(amount) => self.amount(name, amount)?,
            UnitDef::Dimension(dim) => {
                if dim.trim().is_empty() {
                    return Err(format!("unit `{name}` needs a dimension name"));
                }
                if self.site_dims.iter().any(|d| d == dim) {
                    return Err(format!(
                        "dimension `{dim}` is declared twice; give `{name}` as an amount of the first unit (equals = \"N UNIT\")"
                    ));
                }
                let slot = FIRST_SITE_DIM + self.site_dims.len();
                if slot >= BASE_DIMS {
                    return Err(format!(
                        "unit `{name}`: a site may declare at most {} dimensions",
                        BASE_DIMS - FIRST_SITE_DIM
                    ));
                }
                Unit::new(name, Dim::base(slot), 1.0)
            }
        };
        match self.units.get(name) {
            Some(existing) if *existing != unit => Err(format!(
                "unit `{name}` already names unit `{}`",
                existing.name
            )),
            Some(_) => Ok(()),
            None => {
                if let UnitDef::Dimension(dim) = def {
                    self.site_dims.push(dim.clone());
                }
                self.insert(name, unit);
                Ok(())
            }
        }
    }

    /// The unit `name` defined as `amount` (`201.168 m`) of a known unit.
    fn amount(&self, name: &str, amount: &str) -> Result<Unit, String> {
        let text = amount.trim();
        let split = text
            .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+')))
            .unwrap_or(text.len());
        let (number, unit_name) = text.split_at(split);
        let bad = || {
            format!("unit `{name}`: equals = \"{amount}\" must be a positive number and a known unit, like \"201.168 m\"")
        };
        let n: f64 = number.parse().map_err(|_| bad())?;
        if !(n.is_finite() && n > 0.0) {
            return Err(bad());
        }
        let base = self.get(unit_name.trim()).ok_or_else(|| {
            format!(
                "unit `{name}`: equals = \"{amount}\" names unknown unit `{}`",
                unit_name.trim()
            )
        })?;
        if Currency::ALL.iter().any(|c| base.dim.0[c.base()] != 0) {
            return Err(format!(
                "unit `{name}` cannot be an amount of {}: currencies are never converted; declare a new currency as a dimension (`{name} = {{ dimension = \"{name}\" }}`)",
                base.name
            ));
        }
        if base.is_affine() {
            return Err(format!(
                "unit `{name}` cannot be an amount of {}: define it in K",
                base.name
            ));
        }
        Ok(Unit::new(name, base.dim, n * base.factor))
    }

    /// Records one name, keeping the names sorted longest first.
    fn insert(&mut self, name: &str, unit: Unit) {
        if self.units.insert(name.to_string(), unit).is_none() {
            let at = self
                .names
                .binary_search_by(|n| name_order(n, name))
                .unwrap_or_else(|i| i);
            self.names.insert(at, name.to_string());
        }
    }

    /// The unit with this name or alias (case-sensitive: `Mb/s` is bits), or
    /// a compound of known units (`m/Wh`, `€/kWh`, `N·m`).
    pub fn get(&self, name: &str) -> Option<Unit> {
        if let Some(u) = self.units.get(name) {
            return Some(u.clone());
        }
        self.units_at(name)
            .into_iter()
            .find(|m| m.len == name.len())
            .map(|m| m.unit)
    }

    /// Every name and alias, longest first.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(String::as_str)
    }

    /// Each unit once, under its canonical name, in a fixed order: what a
    /// suggestion may switch a literal to.
    pub fn canonical_units(&self) -> Vec<&Unit> {
        let mut out: Vec<&Unit> = self
            .names
            .iter()
            .filter_map(|n| self.units.get(n).filter(|u| u.name == *n))
            .collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out
    }

    /// Every name and alias `text` starts with, longest first, with its unit.
    pub fn prefixes<'a>(&'a self, text: &'a str) -> impl Iterator<Item = (&'a str, &'a Unit)> + 'a {
        self.names
            .iter()
            .filter(move |name| text.starts_with(name.as_str()))
            .filter_map(move |name| self.units.get(name).map(|u| (name.as_str(), u)))
    }

    /// Every unit `text` starts with, longest first: names and aliases, and
    /// compounds of them joined by `/` or `·` (`m/Wh`, `€/kWh`); a part of a
    /// compound must end its word (`m/Whatever` is no compound).
    pub fn units_at(&self, text: &str) -> Vec<UnitMatch> {
        let mut out: Vec<UnitMatch> = Vec::new();
        for (name, unit) in self.prefixes(text) {
            let glued_only = GLUED_ONLY.contains(&name);
            let mut unit = unit.clone();
            let mut len = name.len();
            let simple = UnitMatch {
                len,
                unit: unit.clone(),
                glued_only,
            };
            while let Some((next, next_len)) = self.compound_step(text, len, &unit) {
                unit = next;
                len = next_len;
            }
            if len > simple.len {
                out.push(UnitMatch {
                    len,
                    unit,
                    glued_only: false,
                });
            }
            out.push(simple);
        }
        out.sort_by_key(|m| std::cmp::Reverse(m.len));
        out
    }

    /// One more `/part` or `·part` of a compound after `len` bytes of `text`.
    fn compound_step(&self, text: &str, len: usize, left: &Unit) -> Option<(Unit, usize)> {
        let rest = text.get(len..)?;
        let op = rest.chars().next().filter(|c| matches!(c, '/' | '·'))?;
        let after = len + op.len_utf8();
        let tail = text.get(after..)?;
        let (part_name, right) = self.prefixes(tail).find(|(name, _)| {
            !text
                .get(after + name.len()..)
                .and_then(|t| t.chars().next())
                .is_some_and(is_word_char)
        })?;
        let usable = |u: &Unit| {
            !u.is_affine() && !u.dim.is_dimensionless() && !GLUED_ONLY.contains(&u.name.as_str())
        };
        if !usable(left) || !usable(right) {
            return None;
        }
        // A part keeps the name it was written with (`GB/day`), a currency its code.
        let right_name = match right.kind() {
            UnitKind::Money(c) => c.code().to_string(),
            _ => part_name.to_string(),
        };
        let (dim, factor, name) = if op == '/' {
            (
                left.dim.combine(&right.dim, -1)?,
                left.factor / right.factor,
                format!("{}/{}", left.name, part(&right_name)),
            )
        } else {
            (
                left.dim.combine(&right.dim, 1)?,
                left.factor * right.factor,
                format!("{}·{}", part(&left.name), part(&right_name)),
            )
        };
        if dim.is_dimensionless() {
            return None;
        }
        Some((Unit::new(&name, dim, factor), after + part_name.len()))
    }
}

/// A value: one number or an inclusive range.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    /// One number.
    Single(f64),
    /// A range from its minimum to its maximum.
    Range(f64, f64),
}

impl Value {
    /// The lowest and highest value (equal for a single value).
    pub fn bounds(self) -> (f64, f64) {
        match self {
            Value::Single(v) => (v, v),
            Value::Range(lo, hi) => (lo, hi),
        }
    }

    /// Multiplies by a positive conversion factor.
    fn scaled(self, k: f64) -> Value {
        match self {
            Value::Single(v) => Value::Single(v * k),
            Value::Range(lo, hi) => Value::Range(lo * k, hi * k),
        }
    }

    /// The value with its sign flipped (a range keeps lo ≤ hi).
    pub fn negated(self) -> Value {
        match self {
            Value::Single(v) => Value::Single(-v),
            Value::Range(lo, hi) => Value::Range(-hi, -lo),
        }
    }
}

/// Why arithmetic on quantities failed.
#[derive(Clone, Debug, PartialEq)]
pub enum UnitError {
    /// Units that cannot be combined, e.g. "cannot add GB to GB/s".
    Mismatch(String),
    /// Division by zero or by a range containing zero.
    DivByZero,
}

impl fmt::Display for UnitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UnitError::Mismatch(msg) => f.write_str(msg),
            UnitError::DivByZero => f.write_str("division by zero"),
        }
    }
}

impl std::error::Error for UnitError {}

/// A value with its unit.
#[derive(Clone, Debug, PartialEq)]
pub struct Quantity {
    /// The number or range.
    pub value: Value,
    /// The unit the value is in.
    pub unit: Unit,
}

impl Quantity {
    /// A quantity from its parts.
    pub fn new(value: Value, unit: Unit) -> Quantity {
        Quantity { value, unit }
    }

    /// A bare number (what a number in a citation expression is).
    pub fn bare(v: f64) -> Quantity {
        Quantity::new(Value::Single(v), Unit::bare())
    }

    /// This quantity in another unit of the same dimension.
    pub fn to_unit(&self, unit: &Unit) -> Option<Quantity> {
        let (lo, hi) = self.value.bounds();
        let lo = convert(lo, &self.unit, unit)?;
        let hi = convert(hi, &self.unit, unit)?;
        let value = match self.value {
            Value::Single(_) => Value::Single(lo),
            Value::Range(..) => Value::Range(lo, hi),
        };
        Some(Quantity::new(value, unit.clone()))
    }

    /// The quantity with its sign flipped.
    pub fn negated(&self) -> Quantity {
        Quantity::new(self.value.negated(), self.unit.clone())
    }

    /// Sum; the right side is converted into the left side's unit.
    pub fn add(&self, rhs: &Quantity) -> Result<Quantity, UnitError> {
        let r = self.aligned(rhs, "add", "to")?;
        Ok(self.with_value(combine(self.value, r, |a, b| a + b)?))
    }

    /// Difference; the right side is converted into the left side's unit.
    pub fn sub(&self, rhs: &Quantity) -> Result<Quantity, UnitError> {
        let r = self.aligned(rhs, "subtract", "from")?;
        Ok(self.with_value(combine(self.value, r, |a, b| a - b)?))
    }

    /// Product; dimensions add up, a dimensionless side keeps the other's unit.
    pub fn mul(&self, rhs: &Quantity) -> Result<Quantity, UnitError> {
        affine_guard(&self.unit, &rhs.unit, "multiply", true)?;
        let (unit, k) = product_unit(&self.unit, &rhs.unit)?;
        let v = combine(self.value, rhs.value, |a, b| a * b)?;
        Ok(Quantity::new(v.scaled(k), unit))
    }

    /// Quotient; same dimensions give a ratio `x`, EUR ÷ h gives `EUR/h`.
    pub fn div(&self, rhs: &Quantity) -> Result<Quantity, UnitError> {
        let (lo, hi) = rhs.value.bounds();
        // An interval holding zero has no bounded reciprocal.
        if (lo <= 0.0 && hi >= 0.0) || lo.is_nan() || hi.is_nan() {
            return Err(UnitError::DivByZero);
        }
        affine_guard(&self.unit, &rhs.unit, "divide", false)?;
        let (unit, k) = quotient_unit(&self.unit, &rhs.unit)?;
        let v = combine(self.value, rhs.value, |a, b| a / b)?;
        Ok(Quantity::new(v.scaled(k), unit))
    }

    /// The right side's value in this side's unit, or the error for `verb`.
    fn aligned(&self, rhs: &Quantity, verb: &str, prep: &str) -> Result<Value, UnitError> {
        if self.unit.dim != rhs.unit.dim {
            return Err(UnitError::Mismatch(format!(
                "cannot {verb} {} {prep} {}",
                rhs.unit.label(),
                self.unit.label()
            )));
        }
        if self.unit.is_affine() || rhs.unit.is_affine() {
            let (lo, hi) = rhs.value.bounds();
            let conv = |v| convert(v, &rhs.unit, &self.unit).unwrap_or(f64::NAN);
            return Ok(match rhs.value {
                Value::Single(_) => Value::Single(conv(lo)),
                Value::Range(..) => Value::Range(conv(lo), conv(hi)),
            });
        }
        Ok(rhs.value.scaled(rhs.unit.factor / self.unit.factor))
    }

    /// Same unit, new value.
    fn with_value(&self, value: Value) -> Quantity {
        Quantity::new(value, self.unit.clone())
    }
}

/// Interval arithmetic: the result spans every combination of the bounds.
/// Two single values give a single value.
fn combine(a: Value, b: Value, op: impl Fn(f64, f64) -> f64) -> Result<Value, UnitError> {
    if let (Value::Single(x), Value::Single(y)) = (a, b) {
        return Ok(Value::Single(op(x, y)));
    }
    let (a0, a1) = a.bounds();
    let (b0, b1) = b.bounds();
    let all = [op(a0, b0), op(a0, b1), op(a1, b0), op(a1, b1)];
    let lo = all.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = all.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    Ok(Value::Range(lo, hi))
}

/// A temperature on a scale with an offset (°C, °F) may be scaled by a number,
/// never combined with another unit: 20 °C is not twice 10 °C.
fn affine_guard(l: &Unit, r: &Unit, verb: &str, commutes: bool) -> Result<(), UnitError> {
    let bad = if l.is_affine() {
        !r.dim.is_dimensionless()
    } else if r.is_affine() {
        !(commutes && l.dim.is_dimensionless())
    } else {
        false
    };
    if !bad {
        return Ok(());
    }
    let t = if l.is_affine() { l } else { r };
    Err(UnitError::Mismatch(format!(
        "cannot {verb} {} and {}: a temperature in {} converts but does not multiply or divide; write it in K",
        l.label(),
        r.label(),
        t.name
    )))
}

/// The error for exponents that no longer fit.
fn too_complex(l: &Unit, r: &Unit) -> UnitError {
    UnitError::Mismatch(format!(
        "the unit of {} and {} is too complex",
        l.label(),
        r.label()
    ))
}

/// Wraps a compound name in parentheses when it would read ambiguously.
fn part(name: &str) -> String {
    if name.contains('/') || name.contains('·') {
        format!("({name})")
    } else {
        name.to_string()
    }
}

/// The unit of a product, and the factor to multiply the product of the values by.
fn product_unit(l: &Unit, r: &Unit) -> Result<(Unit, f64), UnitError> {
    let (ld, rd) = (l.dim.is_dimensionless(), r.dim.is_dimensionless());
    // A dimensionless side (count, x, %) is folded into the value.
    if ld && rd && l.is_bare() {
        return Ok((r.clone(), l.factor));
    }
    if rd {
        return Ok((l.clone(), r.factor));
    }
    if ld {
        return Ok((r.clone(), l.factor));
    }
    let dim = l.dim.combine(&r.dim, 1).ok_or_else(|| too_complex(l, r))?;
    let factor = l.factor * r.factor;
    let name = format!("{}·{}", part(&l.name), part(&r.name));
    Ok(derived(dim, factor, name))
}

/// The unit of a quotient, and the factor to multiply the quotient of the values by.
fn quotient_unit(l: &Unit, r: &Unit) -> Result<(Unit, f64), UnitError> {
    if r.dim.is_dimensionless() {
        return Ok((l.clone(), 1.0 / r.factor));
    }
    let dim = l.dim.combine(&r.dim, -1).ok_or_else(|| too_complex(l, r))?;
    let factor = l.factor / r.factor;
    let name = if l.dim.is_dimensionless() {
        format!("1/{}", part(&r.name))
    } else {
        format!("{}/{}", l.name, part(&r.name))
    };
    Ok(derived(dim, factor, name))
}

/// A derived unit: a ratio when the dimensions cancel, the built-in unit that
/// matches when there is one, else a unit named after its parts.
fn derived(dim: Dim, factor: f64, name: String) -> (Unit, f64) {
    if dim.is_dimensionless() {
        return (Unit::ratio(), factor);
    }
    if let Some(unit) = builtin_for(&dim, factor) {
        return (unit, 1.0);
    }
    // A product that lands in the dimension of a base unit is shown in it:
    // €/kWh × Wh is EUR (not `(EUR/kWh)·Wh`), km/Wh × Wh is m.
    match builtin_for(&dim, 1.0) {
        Some(unit) if !name.starts_with("1/") => (unit, factor),
        _ => (Unit::new(&name, dim, factor), 1.0),
    }
}

/// Rounds `v * 10^decimals` half away from zero, working on the decimal
/// digits of `v` (14 significant) rather than its binary value, so that
/// 2.675 rounds to 2.68 like an author expects. `None` for non-finite values
/// or results beyond i128.
pub fn round_scaled(v: f64, decimals: usize) -> Option<i128> {
    if !v.is_finite() {
        return None;
    }
    if v == 0.0 {
        return Some(0);
    }
    // Fast path: when the scaled value is far from a rounding boundary, binary noise in
    // its last digits cannot change the result, so the f64 rounding is exact enough.
    // Only values within a hair of `.5` need the decimal digits below.
    if decimals <= 12 {
        let scaled = v * 10f64.powi(decimals as i32);
        // Below 1e8 an ulp is under 1.5e-8, far inside the 1e-6 margin.
        if scaled.abs() < 1e8 && (scaled.abs().fract() - 0.5).abs() > 1e-6 {
            return Some(scaled.round() as i128);
        }
    }
    let sci = format!("{:.*e}", SIGNIFICANT_DIGITS - 1, v);
    let (mantissa, exp) = sci.split_once('e')?;
    let exp: i64 = exp.parse().ok()?;
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let m: i128 = digits.parse().ok()?;
    // v = m * 10^(exp - 13); we want m * 10^(exp - 13 + decimals).
    let shift =
        (exp - (SIGNIFICANT_DIGITS as i64 - 1)).checked_add(i64::try_from(decimals).ok()?)?;
    let n = shift_rounded(m, shift)?;
    Some(if mantissa.starts_with('-') { -n } else { n })
}

/// `m * 10^shift` for a non-negative `m`, rounded half up when `shift` < 0.
fn shift_rounded(m: i128, shift: i64) -> Option<i128> {
    if shift >= 0 {
        let p = 10i128.checked_pow(u32::try_from(shift).ok()?)?;
        return m.checked_mul(p);
    }
    let down = shift.unsigned_abs();
    if down > 30 {
        // m < 10^14, so m / 10^31 rounds to zero.
        return Some(0);
    }
    let p = 10i128.pow(down as u32);
    let (q, r) = (m / p, m % p);
    Some(if 2 * r >= p { q + 1 } else { q })
}

/// Formats `n / 10^decimals` with optional thousands separators; callers
/// pass decimals that [`round_scaled`] accepted, so the padding stays small.
fn format_scaled(n: i128, decimals: usize, commas: bool) -> String {
    let digits = format!("{:0>width$}", n.unsigned_abs(), width = decimals + 1);
    let (int, frac) = digits.split_at(digits.len() - decimals);
    let mut out = String::new();
    if n < 0 {
        out.push('-');
    }
    out.push_str(&if commas {
        group_thousands(int)
    } else {
        int.to_string()
    });
    if decimals > 0 {
        out.push('.');
        out.push_str(frac);
    }
    out
}

/// Inserts `,` every three digits from the right of an ASCII digit string.
fn group_thousands(int: &str) -> String {
    let mut out = String::with_capacity(int.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Formats `v` with exactly `decimals` decimals (rounded half away from zero)
/// and thousands separators: `format_number(3999.0, 0)` is `3,999`.
pub fn format_number(v: f64, decimals: usize) -> String {
    format_number_with(v, decimals, true)
}

/// Like [`format_number`], with thousands separators only when `commas`.
pub fn format_number_with(v: f64, decimals: usize, commas: bool) -> String {
    match round_scaled(v, decimals) {
        Some(n) => format_scaled(n, decimals, commas),
        // Non-finite or astronomically large: Rust's own formatting, capped
        // so that an absurd request cannot exhaust memory.
        None => format!("{:.*}", decimals.min(100), v),
    }
}

/// The fewest decimals (between `min` and `max`) that show `v` rounded to `max`.
fn trimmed_decimals(v: f64, max: usize, min: usize) -> usize {
    let Some(mut n) = round_scaled(v, max) else {
        return max;
    };
    let mut d = max;
    while d > min && n % 10 == 0 {
        n /= 10;
        d -= 1;
    }
    d
}

/// Decimals needed to show two significant digits of a value below 1.
fn small_value_decimals(v: f64) -> usize {
    let a = v.abs();
    if a == 0.0 || a >= 1.0 || !a.is_finite() {
        return 0;
    }
    let d = (-a.log10()).ceil() + 1.0;
    (d as usize).min(12)
}

/// Decimals used to display `v` in a unit of this kind.
fn display_decimals(kind: UnitKind, v: f64) -> usize {
    let small = small_value_decimals(v);
    match kind {
        UnitKind::Money(_) => {
            if trimmed_decimals(v, 2, 0) == 0 {
                0
            } else {
                trimmed_decimals(v, small.max(2), 2)
            }
        }
        UnitKind::MoneyPer(_) => trimmed_decimals(v, small.max(2), 2),
        UnitKind::Ratio => {
            let a = v.abs();
            let base = if a >= 10.0 {
                0
            } else if a >= 1.0 {
                1
            } else {
                2
            };
            trimmed_decimals(v, base.max(small), 0)
        }
        _ => trimmed_decimals(v, small.max(2), 0),
    }
}

/// Formats a quantity for display: `$3,999`, `€4,800–5,200`, `273 GB/s`,
/// `2.7x`, `17%`, `€0.40/h`, `120B`, `1,000 TFLOPS`.
pub fn format_quantity(q: &Quantity) -> String {
    let kind = q.unit.kind();
    let (lo, hi) = q.value.bounds();
    let d = match q.value {
        Value::Single(v) => display_decimals(kind, v),
        Value::Range(..) => display_decimals(kind, lo).max(display_decimals(kind, hi)),
    };
    let number = match q.value {
        Value::Single(v) => signed_with_prefix(v, d, kind),
        Value::Range(..) => format!(
            "{}–{}",
            signed_with_prefix(lo, d, kind),
            format_number(hi, d)
        ),
    };
    format!("{number}{}", unit_suffix(kind, &q.unit))
}

/// A number with its currency sign in front (after the minus sign: `-$5`).
fn signed_with_prefix(v: f64, d: usize, kind: UnitKind) -> String {
    let sign = match kind {
        UnitKind::Money(c) | UnitKind::MoneyPer(c) => c.sign(),
        _ => "",
    };
    let digits = format_number(v, d);
    match digits.strip_prefix('-') {
        Some(abs) => format!("-{sign}{abs}"),
        None => format!("{sign}{digits}"),
    }
}

/// What follows the number for a unit of this kind.
fn unit_suffix(kind: UnitKind, unit: &Unit) -> String {
    match kind {
        UnitKind::Bare | UnitKind::Money(_) => String::new(),
        UnitKind::MoneyPer(c) => unit.name[c.code().len()..].to_string(),
        UnitKind::Ratio => "x".to_string(),
        UnitKind::Percent => "%".to_string(),
        UnitKind::Params => "B".to_string(),
        // A name that must touch its number is printed touching it: `27.5in`.
        UnitKind::Other if GLUED_ONLY.contains(&unit.name.as_str()) => unit.name.clone(),
        UnitKind::Other => format!(" {}", unit.name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(name: &str) -> Unit {
        UnitRegistry::new().get(name).expect("known unit")
    }

    fn q(v: f64, name: &str) -> Quantity {
        Quantity::new(Value::Single(v), unit(name))
    }

    fn range(lo: f64, hi: f64, name: &str) -> Quantity {
        Quantity::new(Value::Range(lo, hi), unit(name))
    }

    #[test]
    fn aliases_resolve_to_one_unit() {
        let tok = unit("tok/s");
        for alias in ["t/s", "tokens/s", "tok/sec"] {
            assert_eq!(unit(alias), tok);
        }
        assert_eq!(unit("hours"), unit("h"));
        assert_eq!(unit("€/h"), unit("EUR/h"));
        assert_eq!(unit("$/hour"), unit("USD/h"));
        assert_eq!(unit("×"), unit("x"));
        assert_eq!(unit("$").name, "USD");
    }

    #[test]
    fn b_is_billions_of_parameters() {
        let b = unit("B");
        assert_eq!(b.dim, Dim::base(PARAMS));
        assert_eq!(b.factor, 1e9);
        assert_eq!(format_quantity(&q(120.0, "B")), "120B");
    }

    #[test]
    fn site_aliases() {
        let reg = UnitRegistry::with_aliases(&[
            ("tokens/second".into(), "tok/s".into()),
            ("tps".into(), "tokens/second".into()),
        ])
        .expect("valid aliases");
        assert_eq!(reg.get("tps"), reg.get("tok/s"));
        let err = UnitRegistry::with_aliases(&[("foo".into(), "furlongs".into())]).unwrap_err();
        assert!(err.contains("furlongs"), "{err}");
        assert!(UnitRegistry::with_aliases(&[("GB".into(), "TB".into())]).is_err());
        assert!(UnitRegistry::with_aliases(&[("a b".into(), "TB".into())]).is_err());
    }

    #[test]
    fn conversions() {
        let v = convert(273.0, &unit("GB/s"), &unit("TB/s")).unwrap();
        assert!((v - 0.273).abs() < 1e-12);
        let gib = convert(128.0, &unit("GiB"), &unit("GB")).unwrap();
        assert!((gib - 137.438953472).abs() < 1e-9);
        let bits = convert(100.0, &unit("Gb/s"), &unit("GB/s")).unwrap();
        assert!((bits - 12.5).abs() < 1e-12);
        assert_eq!(convert(1.0, &unit("h"), &unit("min")), Some(60.0));
        assert_eq!(
            convert(0.17, &Unit::bare(), &unit("%")).map(|v| v.round()),
            Some(17.0)
        );
    }

    #[test]
    fn currencies_never_convert() {
        assert_eq!(convert(1.0, &unit("USD"), &unit("EUR")), None);
        assert_eq!(convert(1.0, &unit("GBP"), &unit("EUR")), None);
        assert!(q(1.0, "USD").add(&q(1.0, "EUR")).is_err());
    }

    #[test]
    fn add_converts_into_left_unit() {
        let sum = q(1.0, "TB").add(&q(500.0, "GB")).unwrap();
        assert_eq!(sum.unit.name, "TB");
        assert_eq!(sum.value, Value::Single(1.5));
        let diff = q(2.0, "h").sub(&q(30.0, "min")).unwrap();
        assert_eq!(diff.value, Value::Single(1.5));
    }

    #[test]
    fn adding_gb_to_gb_per_second_fails() {
        let err = q(273.0, "GB/s").add(&q(128.0, "GB")).unwrap_err();
        assert_eq!(err, UnitError::Mismatch("cannot add GB to GB/s".into()));
        let err = q(1.0, "GB").sub(&Quantity::bare(1.0)).unwrap_err();
        assert_eq!(err.to_string(), "cannot subtract number from GB");
    }

    #[test]
    fn same_dimension_division_is_a_ratio() {
        let r = q(52.77, "tok/s").div(&q(19.70, "t/s")).unwrap();
        assert_eq!(r.unit.name, "x");
        assert_eq!(format_quantity(&r), "2.7x");
        let r = q(273.0, "GB/s").div(&q(0.819, "TB/s")).unwrap();
        assert_eq!(format_quantity(&r), "0.33x");
    }

    #[test]
    fn money_per_hour_and_back() {
        let rate = q(4800.0, "EUR").div(&q(12000.0, "h")).unwrap();
        assert_eq!(rate.unit.name, "EUR/h");
        assert_eq!(format_quantity(&rate), "€0.40/h");
        let hours = q(4800.0, "EUR").div(&q(0.4, "€/h")).unwrap();
        assert_eq!(hours.unit, unit("h"));
        assert!(matches!(hours.value, Value::Single(v) if (v - 12000.0).abs() < 1e-6));
    }

    #[test]
    fn odd_combinations_get_readable_names() {
        let r = q(273.0, "GB/s").div(&q(128.0, "GB")).unwrap();
        assert_eq!(r.unit.name, "GB/s/GB");
        let r = q(1.0, "EUR").div(&q(1.0, "GB/s")).unwrap();
        assert_eq!(r.unit.name, "EUR/(GB/s)");
        let r = q(2.0, "GB/s").mul(&q(3.0, "s")).unwrap();
        assert_eq!(r.unit.name, "GB");
        let r = Quantity::bare(1.0).div(&q(2.0, "h")).unwrap();
        assert_eq!(r.unit.name, "1/h");
    }

    #[test]
    fn bare_numbers_keep_the_unit() {
        let r = q(273.0, "GB/s").mul(&Quantity::bare(2.0)).unwrap();
        assert_eq!(r, q(546.0, "GB/s"));
        let r = Quantity::bare(2.0).mul(&q(17.0, "%")).unwrap();
        assert_eq!(r, q(34.0, "%"));
        let r = q(100.0, "%").mul(&q(200.0, "GB")).unwrap();
        assert_eq!(r, q(200.0, "GB"));
    }

    #[test]
    fn interval_arithmetic() {
        let r = range(4800.0, 5200.0, "EUR").sub(&q(800.0, "EUR")).unwrap();
        assert_eq!(r.value, Value::Range(4000.0, 4400.0));
        let r = range(-1.0, 2.0, "x").mul(&range(-3.0, 1.0, "x")).unwrap();
        assert_eq!(r.value, Value::Range(-6.0, 3.0));
        let err = q(1.0, "GB").div(&range(-1.0, 1.0, "s")).unwrap_err();
        assert_eq!(err, UnitError::DivByZero);
        assert_eq!(
            q(1.0, "GB").div(&Quantity::bare(0.0)),
            Err(UnitError::DivByZero)
        );
        assert_eq!(
            range(1.0, 2.0, "GB").negated().value,
            Value::Range(-2.0, -1.0)
        );
    }

    #[test]
    fn formatting() {
        assert_eq!(format_quantity(&q(3999.0, "USD")), "$3,999");
        assert_eq!(
            format_quantity(&range(4800.0, 5200.0, "EUR")),
            "€4,800–5,200"
        );
        assert_eq!(format_quantity(&q(1200.0, "GBP")), "£1,200");
        assert_eq!(format_quantity(&q(4.5, "USD")), "$4.50");
        assert_eq!(format_quantity(&q(-5.0, "USD")), "-$5");
        assert_eq!(format_quantity(&q(273.0, "GB/s")), "273 GB/s");
        assert_eq!(format_quantity(&q(17.0, "%")), "17%");
        assert_eq!(format_quantity(&q(0.4, "€/h")), "€0.40/h");
        assert_eq!(format_quantity(&q(128.0, "GB")), "128 GB");
        assert_eq!(format_quantity(&q(1000.0, "TFLOPS")), "1,000 TFLOPS");
        assert_eq!(format_quantity(&q(12.34, "x")), "12x");
        assert_eq!(format_quantity(&q(2.0, "x")), "2x");
        assert_eq!(format_quantity(&q(57.125, "tok/s")), "57.13 tok/s");
        assert_eq!(format_quantity(&q(0.004, "GB")), "0.004 GB");
        assert_eq!(format_quantity(&Quantity::bare(1234.0)), "1,234");
        assert_eq!(
            format_quantity(&range(57.0, 62.5, "tok/s")),
            "57.0–62.5 tok/s"
        );
    }

    #[test]
    fn format_number_rounds_half_away_from_zero() {
        assert_eq!(format_number(2.675, 2), "2.68");
        assert_eq!(format_number(-2.5, 0), "-3");
        assert_eq!(format_number(1234567.891, 1), "1,234,567.9");
        assert_eq!(format_number(-0.001, 2), "0.00");
        assert_eq!(format_number(f64::NAN, 2), "NaN");
        assert_eq!(format_number(1e300, 2).len(), 304);
        assert_eq!(format_number(1.0, usize::MAX).len(), 102);
    }

    #[test]
    fn round_scaled_erases_conversion_noise() {
        let v = convert(273.0, &unit("GB/s"), &unit("TB/s")).unwrap();
        assert_eq!(round_scaled(v, 2), Some(27));
        assert_eq!(round_scaled(0.265 * 3.0 / 3.0, 2), Some(27));
        assert_eq!(round_scaled(-0.5, 0), Some(-1));
        assert_eq!(round_scaled(1e-40, 2), Some(0));
        assert_eq!(round_scaled(f64::INFINITY, 2), None);
        assert_eq!(round_scaled(1e30, 20), None);
        assert_eq!(round_scaled(1e300, usize::MAX), None);
        assert_eq!(round_scaled(1e300, i64::MAX as usize), None);
    }

    #[test]
    fn units_of_any_product_convert() {
        let close = |a: f64, b: f64| (a - b).abs() < 1e-9 * b.abs().max(1.0);
        let c = |v, f, t| convert(v, &unit(f), &unit(t)).unwrap();
        assert!(close(c(1.5, "km", "m"), 1500.0));
        assert!(close(c(1.0, "mi", "km"), 1.609344));
        assert!(close(c(27.0, "in", "cm"), 68.58));
        assert!(close(c(2.2, "lb", "kg"), 0.997903214));
        assert!(close(c(25.0, "km/h", "m/s"), 6.944444444444));
        assert!(close(c(20.0, "mph", "km/h"), 32.18688));
        assert!(close(c(500.0, "Wh", "kWh"), 0.5));
        assert!(close(c(1.0, "Wh", "kJ"), 3.6));
        assert!(close(c(85.0, "N·m", "Nm"), 85.0));
        assert!(close(c(17500.0, "mAh", "Ah"), 17.5));
        assert!(close(c(3.0, "GHz", "MHz"), 3000.0));
        assert!(close(c(1500.0, "ml", "l"), 1.5));
        assert!(close(c(6000.0, "rpm", "rpm"), 6000.0));
        assert_eq!(convert(1.0, &unit("rpm"), &unit("Hz")), None);
        assert_eq!(convert(1.0, &unit("Nm"), &unit("N")), None);
    }

    #[test]
    fn temperatures_convert_with_their_offset() {
        let c = |v, f, t| convert(v, &unit(f), &unit(t)).unwrap();
        assert!((c(20.0, "°C", "°F") - 68.0).abs() < 1e-9);
        assert!((c(-40.0, "°F", "°C") + 40.0).abs() < 1e-9);
        assert!((c(0.0, "°C", "K") - 273.15).abs() < 1e-9);
        assert!((c(212.0, "°F", "K") - 373.15).abs() < 1e-9);
        assert_eq!(c(21.5, "°C", "℃"), 21.5);
        let sum = q(20.0, "°C").add(&q(50.0, "°F")).unwrap();
        assert!(matches!(sum.value, Value::Single(v) if (v - 30.0).abs() < 1e-9));
        let twice = Quantity::bare(2.0).mul(&q(20.0, "°C")).unwrap();
        assert_eq!(twice, q(40.0, "°C"));
        let half = q(20.0, "°C").div(&Quantity::bare(2.0)).unwrap();
        assert_eq!(half, q(10.0, "°C"));
        let err = q(20.0, "°C").mul(&q(2.0, "W")).unwrap_err();
        assert!(err.to_string().contains("write it in K"), "{err}");
        assert!(q(20.0, "°C").div(&q(10.0, "°C")).is_err());
        assert!(Quantity::bare(1.0).div(&q(10.0, "°F")).is_err());
        let kelvin = q(300.0, "K").mul(&Quantity::bare(2.0)).unwrap();
        assert_eq!(kelvin.unit.name, "K");
    }

    #[test]
    fn sound_levels_never_convert() {
        assert_eq!(convert(30.0, &unit("dB"), &unit("dB(A)")), None);
        assert_eq!(unit("dBA"), unit("dB(A)"));
        assert_eq!(format_quantity(&q(32.0, "dB(A)")), "32 dB(A)");
        assert_eq!(format_quantity(&q(27.5, "inches")), "27.5in");
        assert!(q(30.0, "dB").add(&q(3.0, "dB(A)")).is_err());
    }

    #[test]
    fn compound_units_are_read_and_named() {
        let reg = UnitRegistry::new();
        let m_per_wh = reg.get("m/Wh").expect("compound");
        assert_eq!(m_per_wh.name, "m/Wh");
        let km_per_kwh = reg.get("km/kWh").expect("compound");
        let v = convert(9.5, &m_per_wh, &km_per_kwh).unwrap();
        assert!((v - 9.5).abs() < 1e-9, "{v}");
        let eur = reg.get("€/kWh").expect("compound");
        assert_eq!(eur.name, "EUR/kWh");
        assert_eq!(eur.kind(), UnitKind::MoneyPer(Currency::Eur));
        assert_eq!(
            format_quantity(&Quantity::new(Value::Single(0.3), eur)),
            "€0.30/kWh"
        );
        assert_eq!(reg.get("Wh/km").unwrap().name, "Wh/km");
        assert_eq!(reg.get("N·m"), reg.get("Nm"));
        assert_eq!(reg.get("kg·m").unwrap().name, "kg·m");
        assert_eq!(reg.get("m/Whatever"), None);
        assert_eq!(
            reg.get("°C/W"),
            None,
            "an offset scale is no part of a compound"
        );
        assert_eq!(
            reg.get("GB/GB"),
            None,
            "a compound that cancels out is no unit"
        );
        // The longest reading of a text comes first; a part must end its word.
        let found = reg.units_at("m/Whatever");
        assert_eq!(found.first().map(|m| m.len), Some(1));
        let found = reg.units_at("km/h uphill");
        assert_eq!(
            found.first().map(|m| (m.len, m.unit.name.as_str())),
            Some((4, "km/h"))
        );
        assert!(reg.units_at("in").iter().all(|m| m.glued_only));
    }

    #[test]
    fn arithmetic_names_results_after_the_units() {
        let r = q(9500.0, "m").div(&q(1.0, "kWh")).unwrap();
        assert_eq!(r.unit.name, "m/kWh");
        let r = q(30.0, "EUR").div(&q(100.0, "kWh")).unwrap();
        assert_eq!(format_quantity(&r), "€0.30/kWh");
        let r = q(250.0, "W").mul(&q(2.0, "h")).unwrap();
        assert_eq!(r.unit.name, "Wh");
        assert_eq!(r.value, Value::Single(500.0));
        let r = q(60.0, "km").div(&q(2.0, "h")).unwrap();
        assert_eq!(format_quantity(&r), "30 km/h");
        let r = q(0.3, "€/kWh").mul(&q(625.0, "Wh")).unwrap();
        assert_eq!(r.unit.name, "EUR");
        assert_eq!(format_quantity(&r), "€0.19");
        let r = q(0.16, "km/Wh").mul(&q(625.0, "Wh")).unwrap();
        assert_eq!(format_quantity(&r), "100 km");
        let r = q(36.0, "V").mul(&q(14.0, "Ah")).unwrap();
        assert_eq!(format_quantity(&r), "504 Wh");
    }

    #[test]
    fn sites_define_units() {
        let mut reg = UnitRegistry::new();
        reg.define("furlong", &UnitDef::Equals("201.168 m".into()))
            .unwrap();
        let v = convert(1.0, &reg.get("furlong").unwrap(), &reg.get("km").unwrap()).unwrap();
        assert!((v - 0.201168).abs() < 1e-12);
        reg.define("lx", &UnitDef::Dimension("illuminance".into()))
            .unwrap();
        reg.define("klx", &UnitDef::Equals("1000 lx".into()))
            .unwrap();
        let v = convert(2.5, &reg.get("klx").unwrap(), &reg.get("lx").unwrap()).unwrap();
        assert_eq!(v, 2500.0);
        assert_eq!(
            convert(1.0, &reg.get("lx").unwrap(), &reg.get("m").unwrap()),
            None
        );
        reg.define("CHF", &UnitDef::Dimension("CHF".into()))
            .unwrap();
        assert_eq!(
            convert(1.0, &reg.get("CHF").unwrap(), &reg.get("EUR").unwrap()),
            None
        );
        reg.define("lx/W", &UnitDef::Alias("lx/W".into())).unwrap();
        let err = |name: &str, def: UnitDef| reg.clone().define(name, &def).unwrap_err();
        assert!(err("ct", UnitDef::Equals("0.01 EUR".into())).contains("never converted"));
        assert!(err("f", UnitDef::Equals("2 furlongs".into())).contains("unknown unit `furlongs`"));
        assert!(err("f", UnitDef::Equals("-2 m".into())).contains("positive number"));
        assert!(err("f", UnitDef::Equals("m".into())).contains("positive number"));
        assert!(err("f", UnitDef::Equals("2 °F".into())).contains("in K"));
        assert!(err("lux", UnitDef::Dimension("illuminance".into())).contains("declared twice"));
        assert!(err("km", UnitDef::Equals("2 m".into())).contains("already names"));
        assert!(err("2x", UnitDef::Equals("2 m".into())).contains("digit"));
        let mut full = UnitRegistry::new();
        for i in 0..(BASE_DIMS - FIRST_SITE_DIM) {
            full.define(&format!("u{i}"), &UnitDef::Dimension(format!("d{i}")))
                .unwrap();
        }
        let e = full.define("one_more", &UnitDef::Dimension("more".into()));
        assert!(e.unwrap_err().contains("at most 8"));
    }
}
