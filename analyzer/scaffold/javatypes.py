"""Java types as JNI (jni crate 0.21) and FFM (C ABI) types, and as generators of test inputs.

Input: a Java type as written ("byte[]", "int", "List<Message>"). Output: Rust types, default
return values, FFM layouts and Java expressions. Objects other than String and primitive
arrays cross as opaque references (JNI) or not at all (FFM): they are flagged, never guessed.
"""

from __future__ import annotations

PRIMITIVES = {  # Java -> (JNI Rust type, C ABI Rust type, FFM layout, default Rust value, random Java expression)
    "boolean": ("jboolean", "bool", "JAVA_BOOLEAN", "0", "random.nextBoolean()"),
    "byte": ("jbyte", "i8", "JAVA_BYTE", "0", "(byte) random.nextInt()"),
    "char": ("jchar", "u16", "JAVA_CHAR", "0", "(char) random.nextInt(128)"),
    "short": ("jshort", "i16", "JAVA_SHORT", "0", "(short) random.nextInt()"),
    "int": ("jint", "i32", "JAVA_INT", "0", "random.nextInt()"),
    "long": ("jlong", "i64", "JAVA_LONG", "0", "random.nextLong()"),
    "float": ("jfloat", "f32", "JAVA_FLOAT", "0.0", "random.nextFloat()"),
    "double": ("jdouble", "f64", "JAVA_DOUBLE", "0.0", "random.nextDouble() * 2000 - 1000"),
}
ARRAYS = {"byte": "JByteArray", "int": "JIntArray", "long": "JLongArray", "double": "JDoubleArray",
          "float": "JFloatArray", "short": "JShortArray", "char": "JCharArray", "boolean": "JBooleanArray"}


def element(java: str) -> str | None:
    """The primitive element of a one-dimensional primitive array ("byte[]" -> "byte")."""
    base = java.strip()
    if base.endswith("[]") and base[:-2] in ARRAYS:
        return base[:-2]
    return None


def opaque(java: str, binding: str) -> bool:
    if java in PRIMITIVES or element(java):
        return False
    return binding == "ffm" or java != "String"


def jni_param(java: str) -> str:
    if java in PRIMITIVES:
        return PRIMITIVES[java][0]
    if element(java):
        return f"{ARRAYS[element(java)]}<'local>"
    return "JString<'local>" if java == "String" else "JObject<'local>"


def jni_return(java: str | None) -> str:
    if not java or java == "void":
        return "()"
    if java in PRIMITIVES:
        return PRIMITIVES[java][0]
    if element(java):
        return f"j{element(java)}Array"
    return "jstring" if java == "String" else "jobject"


def jni_default(java: str | None) -> str:
    """What a stub returns after throwing (the JVM ignores it once an exception is pending)."""
    if not java or java == "void":
        return ""
    if java in PRIMITIVES:
        return PRIMITIVES[java][3]
    return "std::ptr::null_mut()"


def ffm_params(java: str, name: str) -> list[tuple[str, str, str]]:
    """(Rust parameter, Rust type, FFM layout) triples: an array is a pointer and a length."""
    if java in PRIMITIVES:
        return [(name, PRIMITIVES[java][1], PRIMITIVES[java][2])]
    prim = element(java)
    if prim:
        return [(name, f"*mut {PRIMITIVES[prim][1]}", "ADDRESS"), (f"{name}_len", "usize", "JAVA_LONG")]
    return [(name, "*mut std::ffi::c_void", "ADDRESS")]


def ffm_return(java: str | None) -> tuple[str, str | None]:
    """(Rust return type, FFM layout or None for void); objects cannot be returned over FFM here."""
    if not java or java == "void":
        return "()", None
    if java in PRIMITIVES:
        return PRIMITIVES[java][1], PRIMITIVES[java][2]
    return "*mut std::ffi::c_void", "ADDRESS"


def ffm_default(java: str | None) -> str:
    if not java or java == "void":
        return ""
    return PRIMITIVES[java][3] if java in PRIMITIVES else "std::ptr::null_mut()"


def random_value(java: str) -> str | None:
    """A Java expression drawing a test input from `random`; None when none can be derived."""
    if java in PRIMITIVES:
        return PRIMITIVES[java][4]
    prim = element(java)
    if prim:
        return f"{prim}s(random)"
    return "text(random)" if java == "String" else None


def boxed(java: str) -> str:
    return {"boolean": "Boolean", "byte": "Byte", "char": "Character", "short": "Short", "int": "Integer",
            "long": "Long", "float": "Float", "double": "Double"}.get(java, java)
