"""Names in one Java file: what a type name means, and what a variable holds.

Java declares types, so one file tells more than in Python: `List<Integer> xs` makes
`xs.add(1)` a call to java.util.List.add on boxed values. A simple type name resolves
through, in order: an explicit import, a type declared in this file, java.lang, and the
same package (which the graph stage checks against the classes that exist). Nothing is
guessed from how names look.
"""

from __future__ import annotations

from dataclasses import dataclass, field

JAVA_LANG = frozenset({
    "Object", "String", "StringBuilder", "StringBuffer", "Integer", "Long", "Short", "Byte", "Double", "Float",
    "Character", "Boolean", "Number", "Math", "StrictMath", "System", "Thread", "Runnable", "Iterable",
    "Comparable", "CharSequence", "Class", "ClassLoader", "Enum", "Record", "Exception", "RuntimeException",
    "Error", "Throwable", "IllegalArgumentException", "IllegalStateException", "NullPointerException",
    "UnsupportedOperationException", "IndexOutOfBoundsException", "ArithmeticException", "Process",
    "ProcessBuilder", "Runtime", "Void", "AutoCloseable", "Cloneable", "Override", "Deprecated",
    "SuppressWarnings", "FunctionalInterface", "SafeVarargs", "InterruptedException", "ThreadLocal",
})
# Members of the JDK packages code usually imports with .* (import java.util.*), so that
# `Map` under `import java.util.*` is java.util.Map and not a class of the same package.
JDK_PACKAGES = {
    "java.util": frozenset({
        "List", "ArrayList", "LinkedList", "Map", "HashMap", "LinkedHashMap", "TreeMap", "Set", "HashSet",
        "LinkedHashSet", "TreeSet", "Collection", "Collections", "Arrays", "Iterator", "Optional", "Objects",
        "Queue", "Deque", "ArrayDeque", "PriorityQueue", "Comparator", "SortedMap", "NavigableMap", "SortedSet",
        "EnumMap", "EnumSet", "BitSet", "UUID", "Random", "Scanner", "StringJoiner", "Locale", "Date",
        "Calendar", "Properties", "WeakHashMap", "IdentityHashMap", "OptionalInt", "OptionalLong",
        "OptionalDouble", "Base64", "Stack", "Vector", "Hashtable", "ListIterator", "Spliterator"}),
    "java.util.concurrent": frozenset({
        "ConcurrentHashMap", "ConcurrentMap", "ExecutorService", "Executors", "Future", "CompletableFuture",
        "TimeUnit", "CountDownLatch", "Callable", "BlockingQueue", "LinkedBlockingQueue", "ArrayBlockingQueue",
        "ConcurrentLinkedQueue", "CopyOnWriteArrayList", "ConcurrentSkipListMap", "ConcurrentSkipListSet",
        "ScheduledExecutorService", "ThreadLocalRandom", "Semaphore", "CyclicBarrier"}),
    "java.util.concurrent.atomic": frozenset({"AtomicInteger", "AtomicLong", "AtomicBoolean", "AtomicReference",
                                              "LongAdder"}),
    "java.util.concurrent.locks": frozenset({"Lock", "ReentrantLock", "ReadWriteLock", "ReentrantReadWriteLock",
                                             "StampedLock", "Condition"}),
    "java.util.function": frozenset({"Function", "BiFunction", "Supplier", "Consumer", "BiConsumer", "Predicate",
                                     "BiPredicate", "UnaryOperator", "BinaryOperator", "IntFunction",
                                     "ToIntFunction", "ToLongFunction", "IntPredicate", "IntUnaryOperator"}),
    "java.util.stream": frozenset({"Stream", "IntStream", "LongStream", "DoubleStream", "Collectors"}),
    "java.util.regex": frozenset({"Pattern", "Matcher"}),
    "java.io": frozenset({"File", "InputStream", "OutputStream", "Reader", "Writer", "BufferedReader",
                          "BufferedWriter", "FileInputStream", "FileOutputStream", "FileReader", "FileWriter",
                          "IOException", "UncheckedIOException", "InputStreamReader", "OutputStreamWriter",
                          "PrintStream", "PrintWriter", "ByteArrayInputStream", "ByteArrayOutputStream",
                          "DataInputStream", "DataOutputStream", "Serializable", "Closeable", "RandomAccessFile"}),
    "java.nio": frozenset({"ByteBuffer", "CharBuffer", "IntBuffer", "LongBuffer", "ByteOrder"}),
    "java.nio.file": frozenset({"Files", "Path", "Paths", "StandardOpenOption"}),
    "java.nio.charset": frozenset({"Charset", "StandardCharsets"}),
    "java.net": frozenset({"Socket", "ServerSocket", "URL", "URI", "HttpURLConnection", "InetAddress",
                           "InetSocketAddress"}),
    "java.sql": frozenset({"Connection", "PreparedStatement", "ResultSet", "Statement", "DriverManager",
                           "SQLException", "Timestamp"}),
    "java.time": frozenset({"Instant", "Duration", "LocalDate", "LocalDateTime", "ZonedDateTime", "Clock"}),
    "java.math": frozenset({"BigInteger", "BigDecimal", "RoundingMode"}),
}
WRAPPERS = frozenset({"Integer", "Long", "Short", "Byte", "Double", "Float", "Character", "Boolean"})
PRIMITIVES = frozenset({"int", "long", "short", "byte", "double", "float", "char", "boolean"})
# collection types whose instances, held in fields and mutated, are heap-resident state
COLLECTIONS = frozenset({
    "Map", "HashMap", "LinkedHashMap", "TreeMap", "ConcurrentHashMap", "ConcurrentMap", "SortedMap",
    "NavigableMap", "WeakHashMap", "IdentityHashMap", "EnumMap", "List", "ArrayList", "LinkedList",
    "CopyOnWriteArrayList", "Set", "HashSet", "LinkedHashSet", "TreeSet", "SortedSet", "NavigableSet",
    "ConcurrentSkipListSet", "ConcurrentSkipListMap", "Queue", "Deque", "ArrayDeque", "PriorityQueue",
    "BlockingQueue", "LinkedBlockingQueue", "ArrayBlockingQueue", "ConcurrentLinkedQueue", "Collection",
    "Multimap", "Cache", "LoadingCache"})
MUTATORS = frozenset({"put", "putAll", "putIfAbsent", "add", "addAll", "offer", "push", "set", "compute",
                      "computeIfAbsent", "computeIfPresent", "merge", "replace", "addFirst", "addLast",
                      "offerFirst", "offerLast"})


@dataclass(frozen=True, slots=True)
class JType:
    """A declared type: its resolved name, and the simple names of its type arguments."""
    name: str                       # "java.util.List", "int", "com.x.Frame[]"
    args: tuple[str, ...] = ()

    @property
    def simple(self) -> str:
        return self.name.rpartition(".")[2]

    @property
    def boxed_elements(self) -> bool:
        return any(a in WRAPPERS for a in self.args)

    @property
    def is_collection(self) -> bool:
        return self.simple in COLLECTIONS


@dataclass
class JavaScope:
    package: str
    imports: dict[str, str] = field(default_factory=dict)        # simple name -> qualified type
    on_demand: list[str] = field(default_factory=list)           # packages imported with .*
    static_members: dict[str, str] = field(default_factory=dict) # member -> qualified owner.member
    declared: dict[str, str] = field(default_factory=dict)       # type declared in this file -> qualified

    def bind(self, name: str, static: bool, every: bool) -> None:
        """An import: `import a.B`, `import static a.B.m`, or `import [static] a.b.*` (every)."""
        if every:
            self.on_demand.append(name)
        elif static:
            self.static_members[name.rpartition(".")[2]] = name
        else:
            self.imports[name.rpartition(".")[2]] = name

    def qualify_type(self, simple: str) -> str:
        head, dot, rest = simple.partition(".")
        if dot and head[:1].islower() and head not in self.imports and head not in self.declared:
            return simple   # already qualified: java.util.regex.Pattern (packages are lower case)
        if head in self.imports:
            return self.imports[head] + (dot + rest if dot else "")
        if head in self.declared:
            return self.declared[head] + (dot + rest if dot else "")
        if head in JAVA_LANG:
            return f"java.lang.{simple}"
        for package in self.on_demand:
            if head in JDK_PACKAGES.get(package, ()):
                return f"{package}.{simple}"
        if head in PRIMITIVES or "." in head:
            return simple
        return f"{self.package}.{simple}" if self.package else simple
